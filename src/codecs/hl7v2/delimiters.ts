import { LoomError } from '../../kernel/errors.js';

/** The delimiters a message declares in MSH-1 and MSH-2 (or FHS-1/FHS-2, BHS-1/BHS-2). */
export interface Hl7Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** MSH-2 fifth character (v2.7+); empty when absent. */
  truncation: string;
}

/** The delimiters of the standard's recommended set `|^~\&`. */
export const DEFAULT_DELIMITERS: Hl7Delimiters = Object.freeze({
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
  truncation: '',
});

const DEFAULT_WITH_TRUNCATION: Hl7Delimiters = Object.freeze({ ...DEFAULT_DELIMITERS, truncation: '#' });

/**
 * Read the delimiters from a header segment's text (`MSH|^~\&|...`).
 * MSH-1 is the character after the segment name; MSH-2 runs up to the next field separator.
 */
export function readDelimiters(header: string, location = 'MSH-2'): Hl7Delimiters {
  // hot path: nearly every sender uses the recommended set (optionally with # for truncation)
  if (header.startsWith('|^~\\&|', 3)) return DEFAULT_DELIMITERS;
  if (header.startsWith('|^~\\&#|', 3)) return DEFAULT_WITH_TRUNCATION;
  const field = header.charAt(3);
  if (field === '' || field === '\r' || field === '\n' || /[A-Za-z0-9]/.test(field)) {
    throw new LoomError('hl7.delimiters.invalid', `${header.slice(0, 3)}-1 field separator is missing or not a legal delimiter`, {
      location: location.replace('-2', '-1'),
      hint: 'a header starts with the segment name and the field separator, e.g. MSH|^~\\&|',
    });
  }
  let end = header.indexOf(field, 4);
  if (end === -1) end = header.length;
  const enc = header.slice(4, end);
  if (enc.length < 4 || enc.length > 5) {
    throw new LoomError('hl7.delimiters.invalid', `${location} must hold 4 encoding characters (5 in v2.7+) but holds ${enc.length}`, {
      location,
      hint: 'write the encoding characters as ^~\\& (component, repetition, escape, subcomponent)',
    });
  }
  const chars = [field, ...enc];
  if (new Set(chars).size !== chars.length || chars.some((c) => /[A-Za-z0-9\r\n]/.test(c))) {
    throw new LoomError('hl7.delimiters.invalid', `${location} encoding characters "${enc}" repeat a delimiter or use a letter, digit or line break`, {
      location,
      hint: 'each delimiter must be a distinct punctuation character, e.g. |^~\\&',
    });
  }
  return {
    field,
    component: enc[0],
    repetition: enc[1],
    escape: enc[2],
    subcomponent: enc[3],
    truncation: enc[4] ?? '',
  };
}

/** MSH-2 text for a delimiter set. */
export function encodingCharacters(d: Hl7Delimiters): string {
  return d.component + d.repetition + d.escape + d.subcomponent + d.truncation;
}
