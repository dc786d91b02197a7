import { buildAck, parseHl7v2, type Hl7AckCode, type Hl7AckError, type Hl7Message } from '../../codecs/hl7v2/index.js';
import type { LoomErrorJson } from '../../kernel/errors.js';
import type { IntakeReceipt } from '../../kernel/connector.js';

/**
 * Error codes that mean "this message cannot be handled at all here" (unreadable header,
 * wrong type for the channel, frame errors): HL7 answers those with AR (application reject).
 * Everything else (validation) is AE (application error).
 */
const rejectCodes = [/^hl7\.header\./, /^hl7\.segment\.missing$/, /^hl7\.profile\.unknown$/, /^hl7\.batch\./, /^channel\./, /^mllp\./, /^store\./, /^intake\./];

/** AR for structural/routing failures, AE for validation errors. */
export function rejectionCode(receipt: Pick<IntakeReceipt, 'errors' | 'controlId'>): 'AR' | 'AE' {
  if (receipt.controlId === undefined || receipt.controlId === '') return 'AR';
  return receipt.errors.some((e) => rejectCodes.some((re) => re.test(e.code))) ? 'AR' : 'AE';
}

/** Characters that would break a salvaged field under the default delimiters. */
const unsafe = /[|^~\\&\r\n\x0b\x1c]/g;

/**
 * Build a synthetic MSH carrying whatever header fields the raw bytes still show (MSH-3..6,
 * MSH-9, MSH-10, MSH-12), so even an unparseable frame gets an AR addressed back to its sender.
 */
function salvageHeader(raw: Uint8Array): Hl7Message {
  const text = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, 4096)).toString('latin1');
  const at = text.indexOf('MSH');
  const line = at === -1 ? '' : text.slice(at).split(/[\r\n]/)[0]!;
  const fs = line.length > 3 ? line[3]! : '|';
  const pieces = line.split(fs);
  // after splitting on the field separator, pieces[n - 1] is MSH-n (MSH-1 is the separator itself)
  const field = (n: number): string => (pieces[n - 1] ?? '').split(/[\^~&]/)[0]!.replace(unsafe, '').slice(0, 64);
  const version = /^\d\.\d+(\.\d+)?$/.test(field(12)) ? field(12) : '2.5';
  const msh = ['MSH', '^~\\&', field(3), field(4), field(5), field(6), '', '', field(9) || 'ACK', field(10), 'P', version];
  return parseHl7v2(msh.join('|'));
}

/** Parse the frame for buildAck; fall back to the salvaged header when it does not parse. */
export function messageForAck(frame: Uint8Array): Hl7Message {
  try {
    return parseHl7v2(frame);
  } catch {
    return salvageHeader(frame);
  }
}

/**
 * The ACK text for a frame and the engine's receipt (built after the durable commit), or
 * undefined when an enhanced-mode sender asked for no accept ACK in this case (MSH-15 per
 * HL7 table 0155: NE never, ER only on error, SU only on success).
 */
export function ackForReceipt(frame: Uint8Array, receipt: IntakeReceipt): string | undefined {
  const msg = messageForAck(frame);
  const enhanced = receipt.ackMode === 'enhanced';
  let code: Hl7AckCode = receipt.outcome === 'rejected' ? rejectionCode(receipt) : 'AA';
  if (enhanced) {
    const acceptType = (msg.get('MSH-15') ?? '').trim().toUpperCase();
    const ok = code === 'AA';
    if (acceptType === 'NE' || (acceptType === 'ER' && ok) || (acceptType === 'SU' && !ok)) return undefined;
    code = code === 'AA' ? 'CA' : code === 'AE' ? 'CE' : 'CR';
  }
  return buildAck(msg, code, receipt.errors as Hl7AckError[]);
}

/** AR (CR in enhanced mode) with an ERR naming why nothing was stored: the sender must resend. */
export function ackForRefusal(frame: Uint8Array, error: LoomErrorJson): string {
  const msg = messageForAck(frame);
  const hint = error.hint ?? 'nothing was stored; resend the message later';
  return buildAck(msg, 'AR', [{ ...error, message: `not stored: ${error.message}`, hint }]);
}
