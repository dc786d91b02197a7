import { LoomError } from '../../kernel/errors.js';
import type { FormatCodec, ParseSummary, ValidationReport } from '../format.js';
import { buildAck, type Hl7AckCode } from './ack.js';
import { Hl7Batch, parseHl7v2Batch } from './batch.js';
import { batchToJson, messageToJson } from './json.js';
import type { Hl7Message } from './message.js';
import { parseHl7v2 } from './parse.js';
import { validateHl7v2 } from './validate.js';

const SNIFF = /^\uFEFF?[\r\n]*(MSH|FHS|BHS)./;

function isBatch(v: Hl7Message | Hl7Batch): v is Hl7Batch {
  return v instanceof Hl7Batch;
}

/** Messages of a batch are validated one by one; locations are prefixed `message N`. */
function validateAny(parsed: Hl7Message | Hl7Batch): ValidationReport {
  if (!isBatch(parsed)) {
    const r = validateHl7v2(parsed);
    return { errors: r.errors.map((e) => e.toJSON()), warnings: r.warnings.map((e) => e.toJSON()) };
  }
  const report: ValidationReport = { errors: [], warnings: [] };
  parsed.messages.forEach((m, i) => {
    const r = validateHl7v2(m);
    const at = (e: LoomError) => ({ ...e.toJSON(), location: `message ${i + 1} ${e.location ?? ''}`.trim() });
    report.errors.push(...r.errors.map(at));
    report.warnings.push(...r.warnings.map(at));
  });
  // BTS-1 batch message count (v2 chapter 2.10.3)
  const stated = parsed.envelope?.get('BTS-1');
  if (stated !== undefined && stated.trim() !== '' && Number(stated) !== parsed.messages.length) {
    report.errors.push(new LoomError('hl7.batch.count-mismatch', `BTS-1 says ${stated} messages but the batch holds ${parsed.messages.length}`, {
      location: 'BTS-1', hint: 'fix the count or the messages',
    }).toJSON());
  }
  return report;
}

/** AA when valid (types without a profile only have MSH checked); AR when MSH itself is deficient; AE for content errors. */
function ackFor(msg: Hl7Message, options: { controlId?: string; timestamp?: string }): string {
  const r = validateHl7v2(msg);
  const reject = r.errors.some((e) => e.location?.startsWith('MSH'));
  const code: Hl7AckCode = r.errors.length === 0 ? 'AA' : reject ? 'AR' : 'AE';
  return buildAck(msg, code, r.errors, options);
}

/** The HL7 v2 face for the CLI and engine: single messages and FHS/BHS batches. */
export const hl7v2Codec: FormatCodec<Hl7Message | Hl7Batch> = {
  format: 'hl7v2',
  detect: (text) => SNIFF.test(text.slice(0, 16)),
  parse(input) {
    const head = typeof input === 'string' ? input.slice(0, 16) : Buffer.from(input.subarray(0, 16)).toString('latin1');
    if (/^(\uFEFF|\u00EF\u00BB\u00BF)?\s*(FHS|BHS)/.test(head)) return parseHl7v2Batch(input);
    try {
      return parseHl7v2(input);
    } catch (e) {
      if (e instanceof LoomError && e.code === 'hl7.message.multiple') return parseHl7v2Batch(input);
      throw e;
    }
  },
  validate: validateAny,
  summarize(parsed): ParseSummary {
    const msgs = isBatch(parsed) ? parsed.messages : [parsed];
    let segments = 0;
    for (const m of msgs) segments += m.segmentCount;
    return {
      format: 'hl7v2',
      types: [...new Set(msgs.map((m) => m.type))],
      controlIds: msgs.map((m) => m.controlId),
      counts: { messages: msgs.length, segments },
      warnings: validateAny(parsed).warnings,
    };
  },
  get(parsed, path, options) {
    if (!isBatch(parsed)) return parsed.get(path);
    const n = options?.message;
    if (n === undefined) {
      // envelope paths (FHS-9, BTS-1) read the envelope; others the first message
      if (/^(FHS|BHS|BTS|FTS)/.test(path)) return parsed.envelope?.get(path);
      return parsed.messages[0]?.get(path);
    }
    const msg = parsed.messages[n - 1];
    if (msg === undefined) {
      throw new LoomError('hl7.batch.message-missing', `the batch has ${parsed.messages.length} messages, not ${n}`, {
        location: `message ${n}`, hint: `use --message 1 to ${parsed.messages.length}`,
      });
    }
    return msg.get(path);
  },
  toJson: (parsed) => (isBatch(parsed) ? batchToJson(parsed) : messageToJson(parsed)),
  ack(parsed, options = {}) {
    if (!isBatch(parsed)) return ackFor(parsed, options);
    return parsed.messages.map((m, i) => ackFor(m, { ...options, controlId: options.controlId === undefined ? undefined : `${options.controlId}-${i + 1}` })).join('');
  },
};
