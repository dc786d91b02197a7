import { LoomError } from '../../kernel/errors.js';
import { piece, stripBom } from './fields.js';

/**
 * Turn bytes into text using the character set MSH-18 declares (first repetition).
 * Supported: empty (read as UTF-8, a superset of the standard's ASCII default), ASCII, 8859/1 to
 * 8859/9 and 8859/15, UNICODE UTF-8. A UTF-8 BOM wins over MSH-18.
 *
 * @example
 * bytesToHl7Text(new TextEncoder().encode('MSH|^~\\&|...'))
 */
export function bytesToHl7Text(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeUtf8(bytes.subarray(3));
  }
  const charset = declaredCharset(bytes);
  switch (charset) {
    case '':
    case 'UNICODE UTF-8':
      return decodeUtf8(bytes);
    case 'ASCII':
    case '8859/1':
      // ASCII senders that slip in bytes above 0x7F almost always mean Latin-1: keep the bytes
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    default: {
      const m = /^8859\/(\d{1,2})$/.exec(charset);
      if (m !== null && ['2', '3', '4', '5', '6', '7', '8', '9', '15'].includes(m[1])) {
        try {
          return new TextDecoder(`iso-8859-${m[1]}`).decode(bytes);
        } catch (cause) {
          throw new LoomError('hl7.charset.unsupported', `MSH-18 character set "${charset}" is not available in this Node build`, { location: 'MSH-18', hint: 'use a Node build with full ICU, or send UNICODE UTF-8', cause });
        }
      }
      throw new LoomError('hl7.charset.unsupported', `MSH-18 character set "${charset}" is not supported`, {
        location: 'MSH-18',
        hint: 'send ASCII, 8859/1 or UNICODE UTF-8, or decode the bytes yourself and pass a string',
      });
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new LoomError('hl7.charset.invalid', 'the bytes are not valid UTF-8', {
      location: 'MSH-18',
      hint: 'set MSH-18 to the character set the sender really uses (e.g. 8859/1)',
      cause,
    });
  }
}

/** MSH-18.1 read from the first MSH segment of the raw bytes, as Latin-1 (the header is ASCII). */
function declaredCharset(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 65536)).toString('latin1');
  const text = stripBom(head);
  let start = text.startsWith('MSH') ? 0 : -1;
  if (start === -1) {
    const m = /[\r\n]MSH/.exec(text);
    if (m === null) return '';
    start = m.index + 1;
  }
  let end = text.slice(start).search(/[\r\n]/);
  end = end === -1 ? text.length : start + end;
  const seg = text.slice(start, end);
  const fs = seg.charAt(3);
  if (fs === '') return '';
  const enc = piece(seg, fs, 2) ?? '';
  const field = piece(seg, fs, 18) ?? ''; // split index 17 is MSH-18
  return (piece(piece(field, enc.charAt(1) || '~', 1) ?? '', enc.charAt(0) || '^', 1) ?? '').trim().toUpperCase();
}
