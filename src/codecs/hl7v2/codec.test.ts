import { describe, expect, it } from 'vitest';
import { LoomError } from '../../kernel/errors.js';
import { decodeEscapes, DEFAULT_DELIMITERS, encodeEscapes, hl7DateTimeToIso, hl7v2Codec, isoToHl7DateTime, parseHl7v2, parseHl7v2Batch, readHl7Header } from './index.js';

const BATCH = [
  'FHS|^~\\&|SENDER|FAC|||20240301||batch1.hl7',
  'BHS|^~\\&|SENDER|FAC',
  'MSH|^~\\&|SENDER|FAC|R|RF|20240301||ADT^A08|M1|P|2.5', 'PID|||1||DOE',
  'MSH|^~\\&|SENDER|FAC|R|RF|20240301||ADT^A08|M2|P|2.5', 'PID|||2||ROE', 'PV1||O',
  'BTS|2', 'FTS|1',
].join('\n');

describe('batches', () => {
  it('splits FHS/BHS batches into messages and serializes back', () => {
    const b = parseHl7v2Batch(BATCH);
    expect(b.messages.map((m) => m.controlId)).toEqual(['M1', 'M2']);
    expect(b.messages[1].get('PID-5')).toBe('ROE');
    expect(b.envelope?.get('FHS-9')).toBe('batch1.hl7');
    expect(b.toString()).toBe(BATCH.split('\n').join('\r') + '\r');
  });
  it('reports a BTS-1 count mismatch and segments outside a message', () => {
    const b = parseHl7v2Batch(BATCH.replace('BTS|2', 'BTS|3'));
    expect(hl7v2Codec.validate(b).errors.map((e) => e.code)).toContain('hl7.batch.count-mismatch');
    expect(() => parseHl7v2Batch('FHS|^~\\&|X\rPID|1')).toThrow(expect.objectContaining({ code: 'hl7.segment.unexpected' }));
  });
});

describe('hl7v2Codec', () => {
  it('detects MSH, FHS and BHS only', () => {
    expect(hl7v2Codec.detect('MSH|^~\\&|')).toBe(true);
    expect(hl7v2Codec.detect('\uFEFFFHS|^~\\&|')).toBe(true);
    expect(hl7v2Codec.detect('ISA*00*')).toBe(false);
  });
  it('summarizes, gets with the message option and converts to JSON', () => {
    const b = hl7v2Codec.parse(BATCH);
    expect(hl7v2Codec.summarize(b)).toMatchObject({ format: 'hl7v2', types: ['ADT^A08'], controlIds: ['M1', 'M2'], counts: { messages: 2, segments: 5 } });
    expect(hl7v2Codec.get(b, 'PID-5', { message: 2 })).toBe('ROE');
    expect(hl7v2Codec.get(b, 'BTS-1')).toBe('2');
    expect(() => hl7v2Codec.get(b, 'PID-5', { message: 3 })).toThrow(LoomError);
    const single = hl7v2Codec.parse('MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rPID|1||X~Y||DOE&V^JO\\S\\E|""');
    expect(hl7v2Codec.toJson(single)).toEqual({
      type: 'ADT^A01', controlId: '1', version: '2.5', delimiters: '|^~\\&',
      segments: [
        { name: 'MSH', fields: ['|', '^~\\&', 'A', 'B', 'C', 'D', '20240101', '', ['ADT', 'A01'], '1', 'P', '2.5'] },
        { name: 'PID', fields: ['1', '', { repetitions: ['X', 'Y'] }, '', [['DOE', 'V'], 'JO^E'], null] },
      ],
    });
  });
});

describe('readHl7Header', () => {
  it('reads the header fields without a full parse', () => {
    const text = '\uFEFFMSH|^~\\&|LAB^1.2^ISO|FAC|R|RF|20240301||ORU^R01^ORU_R01|C77|P|2.5.1|||AL|NE\rPID|1';
    expect(readHl7Header(text)).toEqual({ type: 'ORU^R01', controlId: 'C77', version: '2.5.1', sendingApp: 'LAB', sendingFacility: 'FAC', acceptAckType: 'AL', appAckType: 'NE' });
    expect(readHl7Header(Buffer.from(BATCH)).controlId).toBe('M1');
  });
  it('finds MSH only at a segment start: "MSH" inside an FHS/BHS field is not the header', () => {
    const batch = 'FHS|^~\\&|MSHAPP|FAC|||20240301\rBHS|^~\\&|MSHAPP\rMSH|^~\\&|EHR|FAC|R|RF|20240301||ADT^A01|CTRL1|P|2.5\rPID|1\r';
    expect(readHl7Header(Buffer.from(batch)).controlId).toBe('CTRL1');
    expect(readHl7Header(batch).controlId).toBe('CTRL1');
    expect(readHl7Header(Buffer.from(`\uFEFF${batch.slice(batch.indexOf('MSH|'))}`)).sendingApp).toBe('EHR');
  });
  it.each(['', 'PID|1', 'MSH|^~|x', 'MSH|^~\\&|A|B|C|D|2024||ADT^A01||P|2.5', 'MSH|^~\\&|A|B|C|D|2024|||1|P'])('throws hl7.header.unreadable for %j', (text) => {
    expect(() => readHl7Header(text)).toThrow(expect.objectContaining({ code: 'hl7.header.unreadable' }));
  });
});

describe('escapes and date/times', () => {
  it('decodes and encodes every sequence', () => {
    const d = DEFAULT_DELIMITERS;
    expect(decodeEscapes('\\F\\\\S\\\\T\\\\R\\\\E\\\\.br\\\\X48690A\\\\H\\x\\N\\\\Zq\\', d)).toBe('|^&~\\\nHi\n\\H\\x\\N\\\\Zq\\');
    expect(decodeEscapes('unterminated \\F', d)).toBe('unterminated \\F');
    expect(encodeEscapes('a|b^c&d~e\\f\ng', d)).toBe('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g');
  });
  it('converts TS/DTM with offsets to ISO 8601', () => {
    expect(hl7DateTimeToIso('20050110045504+0700')).toBe('2005-01-10T04:55:04+07:00');
    expect(hl7DateTimeToIso('20150624084727.655-0500')).toBe('2015-06-24T08:47:27.655-05:00');
    expect(hl7DateTimeToIso('201410060931')).toBe('2014-10-06T09:31');
    expect(hl7DateTimeToIso('20240301')).toBe('2024-03-01');
    expect(hl7DateTimeToIso('2024')).toBe('2024');
    expect(hl7DateTimeToIso('20240301120000+0000^S')).toBe('2024-03-01T12:00:00Z');
    expect(hl7DateTimeToIso('')).toBeUndefined();
    expect(() => hl7DateTimeToIso('20241301')).toThrow(expect.objectContaining({ code: 'hl7.datetime.invalid' }));
    expect(() => hl7DateTimeToIso('2024-03-01')).toThrow(LoomError);
    expect(isoToHl7DateTime('2024-03-01T12:30:00-05:00')).toBe('20240301123000-0500');
  });
  it('reads corpus-style timestamps through get', () => {
    const m = parseHl7v2('MSH|^~\\&|A|B|C|D|20190423150137+0215||ADT^A40|1|P|2.8');
    expect(hl7DateTimeToIso(m.get('MSH-7') ?? '')).toBe('2019-04-23T15:01:37+02:15');
  });
});
