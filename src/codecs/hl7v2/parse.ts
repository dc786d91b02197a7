import { LoomError } from '../../kernel/errors.js';
import { bytesToHl7Text } from './charset.js';
import { readDelimiters } from './delimiters.js';
import { hasSegmentName, MSH_CODE, nameCode, scanSegments, stripBom } from './fields.js';
import { Hl7Message } from './message.js';

/** Text of the input: strings as given (BOM stripped), bytes decoded per MSH-18. */
export function inputToText(input: string | Uint8Array): string {
  if (typeof input === 'string') return stripBom(input);
  if (input instanceof Uint8Array) return stripBom(bytesToHl7Text(input));
  throw new LoomError('hl7.input.invalid', 'HL7 input must be a string or bytes', { hint: 'pass the message text or a Buffer' });
}

/**
 * Parse one HL7 v2 message (CR, CRLF or LF segment terminators; UTF-8 BOM stripped).
 * Throws LoomError on input that is not a message; use `parseHl7v2Batch` for FHS/BHS files.
 *
 * @example
 * const msg = parseHl7v2('MSH|^~\\&|APP|FAC|||20240101||ADT^A03|123|P|2.5\rPID|1||42^^^H^MR||DOE^JANE');
 * msg.type; msg.get('PID-5.2') // 'ADT^A03', 'JANE'
 */
export function parseHl7v2(input: string | Uint8Array): Hl7Message {
  const text = inputToText(input);
  const { starts, ends } = scanSegments(text);
  return messageFromBounds(text, starts, ends, 0);
}

/** Build one message from segment strings; `offset` is the position of the first one in the whole input. */
export function messageFromSegments(segments: string[], offset: number): Hl7Message {
  const text = segments.join('\r');
  const starts: number[] = [];
  const ends: number[] = [];
  let pos = 0;
  for (const seg of segments) {
    starts.push(pos);
    ends.push(pos + seg.length);
    pos += seg.length + 1;
  }
  return messageFromBounds(text, starts, ends, offset);
}

function messageFromBounds(text: string, starts: number[], ends: number[], offset: number): Hl7Message {
  if (starts.length === 0 || nameCode(text, starts[0]) !== MSH_CODE) {
    const name = starts.length === 0 ? '' : text.slice(starts[0], starts[0] + 3);
    const batch = name === 'FHS' || name === 'BHS';
    throw new LoomError(batch ? 'hl7.batch.unexpected' : 'hl7.segment.missing',
      batch ? `the input is an HL7 batch (${name}), not a single message` : 'the message does not start with an MSH segment', {
        location: `segment ${offset + 1}`,
        hint: batch ? 'parse it with parseHl7v2Batch' : 'an HL7 v2 message starts with MSH|^~\\&|',
      });
  }
  // MSH-1 and MSH-2 sit within the first 10 characters (MSH, separator, up to 5 encoding characters, separator)
  const d = readDelimiters(text.slice(starts[0], Math.min(ends[0], starts[0] + 10)));
  for (let i = 1; i < starts.length; i++) {
    const s = starts[i];
    if (!hasSegmentName(text, s, ends[i], d.field)) {
      throw new LoomError('hl7.segment.invalid', `segment ${offset + i + 1} starts with "${text.slice(s, Math.min(ends[i], s + 8))}", not a segment name`, {
        location: `segment ${offset + i + 1}`,
        hint: 'each segment starts with a 3-character name such as PID followed by the field separator; check for line breaks inside a field (use \\.br\\)',
      });
    }
    if (nameCode(text, s) === MSH_CODE) {
      throw new LoomError('hl7.message.multiple', `segment ${offset + i + 1} starts a second message`, {
        location: `segment ${offset + i + 1}`,
        hint: 'split the input with parseHl7v2Batch',
      });
    }
  }
  return new Hl7Message({ text, starts, ends }, d);
}
