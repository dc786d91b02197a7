import { LoomError } from '../../kernel/errors.js';
import { readDelimiters } from './delimiters.js';
import { decodeEscapes } from './escape.js';
import { piece } from './fields.js';

/** What the engine needs before the durable commit, read from MSH alone. */
export interface Hl7Header {
  /** `MSH-9.1^MSH-9.2`, e.g. `ADT^A03`. */
  type: string;
  /** MSH-10. */
  controlId: string;
  /** MSH-12.1. */
  version: string;
  /** MSH-3.1 sending application namespace id. */
  sendingApp: string;
  /** MSH-4.1 sending facility namespace id. */
  sendingFacility: string;
  /** MSH-15 accept acknowledgment type (AL, NE, ER, SU), '' when absent. */
  acceptAckType: string;
  /** MSH-16 application acknowledgment type, '' when absent. */
  appAckType: string;
}

/**
 * Read the header of the first message without parsing the rest: only the MSH segment is split.
 * Throws LoomError `hl7.header.unreadable` when there is no readable MSH with MSH-9 and MSH-10.
 *
 * @example
 * readHl7Header(bytes).controlId
 */
export function readHl7Header(input: string | Uint8Array): Hl7Header {
  const text = typeof input === 'string' ? input : headText(input);
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.startsWith('MSH', start) === false) {
    const m = /[\r\n]MSH/.exec(text);
    if (m === null) throw unreadable('no MSH segment found', 'segment 1');
    start = m.index + 1;
  }
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 13 && text.charCodeAt(end) !== 10) end++;
  const seg = text.slice(start, end);
  let d;
  try {
    d = readDelimiters(seg);
  } catch (cause) {
    throw unreadable('MSH-1/MSH-2 delimiters are unreadable', 'MSH-2', cause);
  }
  const fs = d.field;
  // after splitting MSH on the field separator, piece n is MSH-n (piece 1 is the name + MSH-1 gap)
  const field = (n: number): string => piece(seg, fs, n) ?? '';
  const first = (n: number): string => {
    const v = piece(piece(field(n), d.repetition, 1) ?? '', d.component, 1) ?? '';
    return v.indexOf(d.escape) === -1 ? v.trim() : decodeEscapes(v, d).trim();
  };
  const msh9 = piece(field(9), d.repetition, 1) ?? '';
  const code = piece(msh9, d.component, 1) ?? '';
  const trigger = piece(msh9, d.component, 2) ?? '';
  const controlId = first(10);
  if (code === '') throw unreadable('MSH-9 message type is empty', 'MSH-9');
  if (controlId === '') throw unreadable('MSH-10 message control id is empty', 'MSH-10');
  return {
    type: trigger === '' ? code : `${code}^${trigger}`,
    controlId,
    version: first(12),
    sendingApp: first(3),
    sendingFacility: first(4),
    acceptAckType: first(15),
    appAckType: first(16),
  };
}

/**
 * Decode only up to the end of the MSH segment (the first one, or after an FHS/BHS envelope), as
 * UTF-8: identical to ASCII and Latin-1 for the usual header values, and right for UTF-8 senders.
 */
function headText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = mshSegmentStart(buf);
  const from = at === -1 ? 0 : at;
  let end = buf.length;
  const cr = buf.indexOf(13, from + 1);
  const lf = buf.indexOf(10, from + 1);
  if (cr !== -1) end = cr;
  if (lf !== -1 && lf < end) end = lf;
  return buf.toString('utf8', from, Math.min(end, from + 65536));
}

/**
 * Where the first MSH segment starts: at the very beginning (after a UTF-8 BOM, if any) or right
 * after a segment terminator; an "MSH" inside an FHS/BHS field is not a segment. -1 when none.
 */
function mshSegmentStart(buf: Buffer): number {
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  for (let at = buf.indexOf('MSH'); at !== -1; at = buf.indexOf('MSH', at + 1)) {
    if (at === bom || buf[at - 1] === 13 || buf[at - 1] === 10) return at;
  }
  return -1;
}

function unreadable(what: string, location: string, cause?: unknown): LoomError {
  return new LoomError('hl7.header.unreadable', `the MSH header cannot be read: ${what}`, {
    location,
    hint: 'the message must start with MSH|^~\\&| and carry MSH-9 (type) and MSH-10 (control id)',
    cause,
  });
}
