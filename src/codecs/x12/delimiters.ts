import { LoomError } from '../../kernel/errors.js';
import type { X12Delimiters } from './types.js';

/** Where the ISA ends and what it says about the delimiters. */
export interface IsaScan {
  delimiters: X12Delimiters;
  /** ISA01..ISA16 as written (ISA16 is the component separator itself). */
  elements: string[];
  /** Index just past ISA16, where the ISA's segment terminator sits. */
  contentEnd: number;
}

const ALNUM = /[A-Za-z0-9]/;

function isaError(message: string, location: string, hint?: string): LoomError {
  return new LoomError('x12.isa.invalid', message, { location, hint });
}

/**
 * Read the ISA starting at `start`. The element separator is the character after `ISA`;
 * ISA16 is the single character after the 16th separator, and the segment terminator is
 * the character after ISA16. Counting separators instead of fixed offsets accepts ISAs whose
 * elements are not padded to width (stupidedi fixtures) while staying unambiguous.
 */
export function scanIsa(text: string, start: number): IsaScan {
  if (text.slice(start, start + 3) !== 'ISA') {
    throw isaError('the interchange does not start with ISA', 'ISA', 'an X12 interchange starts with "ISA*00*"');
  }
  const element = text[start + 3];
  if (element === undefined || ALNUM.test(element) || element === ' ' || element === '\r' || element === '\n') {
    throw isaError('the ISA has no usable element separator after "ISA"', 'ISA', 'the 4th character of the ISA is the element separator, e.g. "*"');
  }
  const elements: string[] = [];
  let pos = start + 4;
  // Search window: a valid ISA is 106 characters; allow slack for unpadded or overlong elements.
  const limit = Math.min(text.length, start + 400);
  for (let n = 1; n <= 15; n++) {
    const sep = text.indexOf(element, pos);
    if (sep === -1 || sep >= limit) {
      throw isaError(`the ISA ends after ${n - 1} elements; it needs 16`, `ISA${String(n).padStart(2, '0')}`, 'the input is truncated or the ISA is malformed');
    }
    const value = text.slice(pos, sep);
    if (value.includes('\n') || value.includes('\r')) {
      const at = `ISA${String(n).padStart(2, '0')}`;
      throw isaError(`${at} contains a line break: the ISA is broken across lines`, at, 'write the ISA on one line; line breaks may only follow the segment terminator');
    }
    elements.push(value);
    pos = sep + 1;
  }
  const component = text[pos];
  const terminatorChar = text[pos + 1];
  if (component === undefined || terminatorChar === undefined) {
    throw isaError('the ISA ends before ISA16 and the segment terminator', 'ISA16', 'the input is truncated');
  }
  elements.push(component);
  if (component === element || component === '\r' || component === '\n') {
    throw isaError(`ISA16 component separator "${component}" is not usable`, 'ISA16', 'ISA16 must differ from the element separator');
  }
  const newline = terminatorChar === '\r' || terminatorChar === '\n';
  const segment = newline ? '\n' : terminatorChar;
  if (segment === element || segment === component || (!newline && ALNUM.test(segment))) {
    throw isaError(`segment terminator "${segment}" after ISA16 is not usable`, 'ISA16', 'the character after ISA16 ends the ISA segment, e.g. "~"');
  }
  // ISA11: repetition separator from 00501 on; in 00401 and before it is the standards id 'U'.
  const isa11 = elements[10] ?? '';
  const version = elements[11] ?? '';
  const repetition =
    version >= '00501' && isa11.length === 1 && !ALNUM.test(isa11) && isa11 !== element && isa11 !== component && isa11 !== segment
      ? isa11
      : undefined;
  return { delimiters: { element, component, repetition, segment }, elements, contentEnd: pos + 1 };
}
