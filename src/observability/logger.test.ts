import { describe, expect, it } from 'vitest';
import { LoomError } from '../kernel/index.js';
import { createLogger } from './logger.js';
import { createRedactor, scrubText, toPinoPaths } from './redact.js';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (chunk: string) => void lines.push(chunk) } };
}

// Made-up patient data; every value must be absent from the captured output.
const PHI = {
  name: 'DOE^JANE^Q',
  family: 'Doe-Fictional',
  mrn: 'MRN-88321',
  ssn: '123-45-6789',
  birthDate: '1961-04-13',
  address: '12 Elm Street^^Springfield',
  phone: '555-0100',
};
const PID = `PID|1||${PHI.mrn}^^^HOSP^MR||${PHI.name}||19610413|F|||${PHI.address}||${PHI.phone}|||||${PHI.ssn}`;
const HL7 = `MSH|^~\\&|EPIC|MAIN|LOOM|HUB|20240101||ADT^A01|CTRL-1|P|2.5\r${PID}\rPV1|1|I|ICU^12^1`;

describe('createLogger', () => {
  it('writes JSON lines with level, time, bindings and message', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.destination });
    log.child({ channel: 'ehr-adt' }).info({ messageId: 'M1', correlationId: 'C1' }, 'journaled');
    log.debug({ x: 1 }, 'hidden below level');
    expect(out.lines).toHaveLength(1);
    const line = JSON.parse(out.lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', channel: 'ehr-adt', messageId: 'M1', correlationId: 'C1', msg: 'journaled' });
    expect(typeof line.time).toBe('string');
  });

  it('never lets PHI reach the output, wherever it sits', () => {
    const out = capture();
    const log = createLogger({ level: 'debug', destination: out.destination, redact: ['guarantor'] });
    const child = log.child({ channel: 'ehr-adt', mrn: PHI.mrn });
    child.info({ PID: { 'PID-5': PHI.name, pid7: PHI.birthDate, PID_19: PHI.ssn } }, 'fields by HL7 path');
    child.info({ patient: { name: { family: PHI.family }, mrn: PHI.mrn, birthDate: PHI.birthDate, address: PHI.address } }, 'canonical patient');
    child.info({ events: [{ subject: { ssn: PHI.ssn } }], guarantor: PHI.name }, 'nested and configured');
    child.warn({ controlId: 'CTRL-1' }, `cannot route message: ${HL7}`);
    child.error({ err: new Error(`validation failed near ${PID}`) }, 'validation');
    child.info({ note: `caller gave SSN ${PHI.ssn} on the phone` }, 'free text');
    child.debug({ payload: HL7, bytes: new TextEncoder().encode(HL7) }, 'payload at debug');
    child.info({ escaped: JSON.stringify(HL7) }, 'escaped segment separators');
    log.flush();
    const text = out.lines.join('');
    expect(out.lines.length).toBe(8);
    for (const value of [...Object.values(PHI), 'DOE', '19610413', '88321', '6789']) expect(text).not.toContain(value);
    // Non-PHI context survives, so the logs stay useful.
    expect(text).toContain('CTRL-1');
    expect(text).toContain('ehr-adt');
    expect(text).toContain('PV1|1|I');
    expect(text).toContain('[REDACTED]');
  });

  it('keeps LoomError code and location while scrubbing its message', () => {
    const out = capture();
    const error = new LoomError('hl7.field.invalid', `PID-7 is not a date in ${PID}`, { location: 'PID-7' });
    createLogger({ destination: out.destination }).error({ err: error }, 'rejected');
    const line = JSON.parse(out.lines[0]) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({ type: 'LoomError', code: 'hl7.field.invalid', location: 'PID-7' });
    expect(String(line.err.message)).toBe('PID-7 is not a date in PID|[REDACTED]');
  });

  it('does not modify the caller’s objects', () => {
    const out = capture();
    const fields = { patient: { mrn: PHI.mrn } };
    createLogger({ destination: out.destination }).info(fields, 'x');
    expect(fields.patient.mrn).toBe(PHI.mrn);
  });
});

describe('redaction pieces', () => {
  it('scrubs PID and other PHI segments but keeps the rest of a message', () => {
    expect(scrubText(HL7)).toBe(`MSH|^~\\&|EPIC|MAIN|LOOM|HUB|20240101||ADT^A01|CTRL-1|P|2.5\rPID|[REDACTED]\rPV1|1|I|ICU^12^1`);
    expect(scrubText('NK1|1|DOE^JOHN|SPO')).toBe('NK1|[REDACTED]');
    expect(scrubText('id 123456789 is fine')).toBe('id 123456789 is fine');
  });

  it('matches multi-segment entries as suffixes and leaves other names alone', () => {
    const redactor = createRedactor(['patient.name', 'mrn']);
    expect(redactor.object({ destination: { name: 'erp' }, case: { patient: { name: 'X', MRN: '1' } } })).toEqual({
      destination: { name: 'erp' },
      case: { patient: { name: '[REDACTED]', MRN: '[REDACTED]' } },
    });
  });

  it('produces pino paths fast-redact accepts', () => {
    expect(toPinoPaths(['PID-5', 'patient.name', '*.ssn', 'mrn'])).toEqual(['["PID-5"]', '*["PID-5"]', 'patient.name', '*.ssn', 'mrn', '*.mrn']);
  });
});

describe('redaction property', () => {
  it('no generated patient name, MRN or SSN survives in any log position', async () => {
    const fc = await import('fast-check');
    const word = fc.stringMatching(/^[A-Z][A-Z]{5,11}$/);
    const digits = fc.stringMatching(/^[1-9]\d{6,9}$/);
    const ssn = fc.tuple(fc.integer({ min: 100, max: 899 }), fc.integer({ min: 10, max: 99 }), fc.integer({ min: 1000, max: 9999 }))
      .map(([a, b, c]) => `${a}-${b}-${c}`);
    fc.assert(
      fc.property(word, word, digits, ssn, fc.constantFrom('\r', '\n', '\r\n'), (family, given, mrn, social, separator) => {
        const out = capture();
        const log = createLogger({ destination: out.destination });
        const message = ['MSH|^~\\&|EHR|H|LOOM|H|20240101||ADT^A08|C9|P|2.5', `PID|1||${mrn}^^^H^MR||${family}^${given}||||||||||||${social}`, 'PV1|1|O'].join(separator);
        log.warn({ detail: message, subject: { mrn, ssn: social }, patient: { name: `${given} ${family}` } }, `could not map: ${message}`);
        log.error({ err: new Error(JSON.stringify(message)) }, 'mapping failed');
        const text = out.lines.join('');
        return [family, given, mrn, social].every((value) => !text.includes(value));
      }),
      { numRuns: 200 },
    );
  });
});
