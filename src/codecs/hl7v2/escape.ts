import type { Hl7Delimiters } from './delimiters.js';

/**
 * Decode HL7 escape sequences (v2 chapter 2.7): \F\ \S\ \T\ \R\ \E\ \P\, \Xhh..\ and \.br\.
 * Highlighting (\H\ \N\) and sequences Loom does not interpret (\Zxx\, \Cxxyy\, \.sp\ ...) stay as written.
 *
 * @example
 * decodeEscapes('Smith\\S\\Jones', DEFAULT_DELIMITERS) // 'Smith^Jones'
 */
export function decodeEscapes(text: string, d: Hl7Delimiters): string {
  const esc = d.escape;
  let start = text.indexOf(esc);
  if (start === -1) return text;
  let out = '';
  let pos = 0;
  while (start !== -1) {
    const end = text.indexOf(esc, start + 1);
    if (end === -1) break; // unterminated: keep the rest literally
    const body = text.slice(start + 1, end);
    const decoded = decodeOne(body, d);
    if (decoded === undefined) {
      // not a sequence we interpret: keep it and continue after it
      out += text.slice(pos, end + 1);
    } else {
      out += text.slice(pos, start) + decoded;
    }
    pos = end + 1;
    start = text.indexOf(esc, pos);
  }
  return out + text.slice(pos);
}

function decodeOne(body: string, d: Hl7Delimiters): string | undefined {
  switch (body) {
    case 'F': return d.field;
    case 'S': return d.component;
    case 'T': return d.subcomponent;
    case 'R': return d.repetition;
    case 'E': return d.escape;
    case 'P': return d.truncation === '' ? undefined : d.truncation;
    case '.br': return '\n';
    default:
      if (body.length >= 3 && body.charCodeAt(0) === 88 /* X */ && body.length % 2 === 1 && /^X[0-9A-Fa-f]+$/.test(body)) {
        return decodeHex(body.slice(1));
      }
      return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeHex(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  try {
    return utf8.decode(bytes);
  } catch {
    // not UTF-8: read the bytes as ISO 8859-1, the other common single-byte set
    return Buffer.from(bytes).toString('latin1');
  }
}

/**
 * Encode a plain value for a leaf position: delimiters become escape sequences, line breaks \.br\.
 * decodeEscapes(encodeEscapes(s)) === s for every string s.
 *
 * @example
 * encodeEscapes('A|B', DEFAULT_DELIMITERS) // 'A\\F\\B'
 */
export function encodeEscapes(value: string, d: Hl7Delimiters): string {
  let needs = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === d.escape || c === d.field || c === d.component || c === d.subcomponent || c === d.repetition ||
      c === '\n' || c === '\r' || (d.truncation !== '' && c === d.truncation)) {
      needs = true;
      break;
    }
  }
  if (!needs) return value;
  const e = d.escape;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === d.escape) out += `${e}E${e}`;
    else if (c === d.field) out += `${e}F${e}`;
    else if (c === d.component) out += `${e}S${e}`;
    else if (c === d.subcomponent) out += `${e}T${e}`;
    else if (c === d.repetition) out += `${e}R${e}`;
    else if (d.truncation !== '' && c === d.truncation) out += `${e}P${e}`;
    else if (c === '\n') out += `${e}.br${e}`;
    else if (c === '\r') out += `${e}X0D${e}`;
    else out += c;
  }
  return out;
}
