import { LoomError } from '../../kernel/errors.js';
import type { X12Segment } from './types.js';

/** A parsed `SEG[n]NN-k` path: segment id, 1-based occurrence, element (01..), component. */
export interface X12Path {
  segment: string;
  occurrence: number;
  element: number;
  component?: number;
}

// Segment id first (2-3 chars, greedy, so IT104 is IT1 element 04 and N104 falls back to N1 04).
const GREEDY = /^([A-Z0-9]{3})(?:\[(\d+)\])?(\d{2})(?:-(\d+))?$/;
const SHORT = /^([A-Z0-9]{2})(?:\[(\d+)\])?(\d{2})(?:-(\d+))?$/;

/**
 * Parse a path such as `BEG03`, `IT1[2]04`, `SV101-2`. Throws LoomError `x12.path.invalid`.
 *
 * @example
 * parseX12Path('IT1[2]04'); // { segment: 'IT1', occurrence: 2, element: 4 }
 */
export function parseX12Path(path: string): X12Path {
  const m = GREEDY.exec(path) ?? SHORT.exec(path);
  if (!m) {
    throw new LoomError('x12.path.invalid', `"${path}" is not an X12 path`, {
      location: path,
      hint: 'write SEG[n]NN-k, e.g. BEG03, IT1[2]04, SV101-2',
    });
  }
  const occurrence = m[2] === undefined ? 1 : Number(m[2]);
  const element = Number(m[3]);
  const component = m[4] === undefined ? undefined : Number(m[4]);
  if (occurrence < 1 || element < 1 || (component !== undefined && component < 1)) {
    throw new LoomError('x12.path.invalid', `"${path}" counts from 0; occurrences, elements and components count from 1`, {
      location: path,
    });
  }
  return { segment: m[1], occurrence, element, component };
}

/**
 * Value at `path` in a transaction set (or any segment list); undefined when absent. Without `[n]`
 * the first occurrence; `[n]` counts occurrences across the whole set in order.
 *
 * @example
 * getX12(set, 'BEG03'); // '08292233294'
 * getX12(set, 'PO1[2]02'); // quantity of the second line
 */
export function getX12(set: { segments: readonly X12Segment[]; componentSeparator?: string }, path: string): string | undefined {
  const p = parseX12Path(path);
  let seen = 0;
  for (const seg of set.segments) {
    if (seg.id !== p.segment) continue;
    seen++;
    if (seen !== p.occurrence) continue;
    const value = seg.elements[p.element - 1];
    if (value === undefined || p.component === undefined) return value;
    const sep = set.componentSeparator;
    if (sep === undefined) return p.component === 1 ? value : undefined;
    return value.split(sep)[p.component - 1];
  }
  return undefined;
}
