// Small index-based helpers shared by the message, header reader and batch splitter.

/** The n-th (1-based) piece of `s` split by `sep`, without allocating the other pieces; undefined past the end. */
export function piece(s: string, sep: string, n: number): string | undefined {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const next = s.indexOf(sep, start);
    if (next === -1) return undefined;
    start = next + 1;
  }
  const end = s.indexOf(sep, start);
  return end === -1 ? s.slice(start) : s.slice(start, end);
}

/** Segments named MSH, FHS or BHS number MSH-1 as the field separator itself. */
export function isHeaderSegment(name: string): boolean {
  return name === 'MSH' || name === 'FHS' || name === 'BHS';
}

/** Where each segment lies in the text: `text.slice(starts[i], ends[i])`, terminator excluded. */
export interface SegmentBounds {
  starts: number[];
  ends: number[];
}

/**
 * Find segment bounds once: CR, CRLF or LF end a segment; blank lines are skipped. No strings are
 * cut here; two indexOf cursors make a 1 KB message cost a handful of native scans.
 */
export function scanSegments(text: string): SegmentBounds {
  const starts: number[] = [];
  const ends: number[] = [];
  const n = text.length;
  let pos = 0;
  let cr = text.indexOf('\r');
  let lf = text.indexOf('\n');
  while (pos < n) {
    if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
    if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
    let end: number;
    if (cr === -1) end = lf === -1 ? n : lf;
    else end = lf === -1 || cr < lf ? cr : lf;
    if (end > pos && !isBlank(text, pos, end)) {
      starts.push(pos);
      ends.push(end);
    }
    pos = end + 1;
  }
  return { starts, ends };
}

/** Segment strings of a text (for batch splitting and tests). */
export function splitSegments(text: string): string[] {
  const { starts, ends } = scanSegments(text);
  return starts.map((s, i) => text.slice(s, ends[i]));
}

/** `MSH` → a number, so segment names compare without cutting strings. */
export function nameCode(text: string, at = 0): number {
  return (text.charCodeAt(at) << 16) | (text.charCodeAt(at + 1) << 8) | text.charCodeAt(at + 2);
}

export const MSH_CODE = nameCode('MSH');
export const FHS_CODE = nameCode('FHS');
export const BHS_CODE = nameCode('BHS');

function isBlank(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** Strip a leading UTF-8 byte order mark (U+FEFF once decoded). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** True when `seg` starts with a legal segment name (`[A-Z][A-Z0-9]{2}`) followed by the field separator or its end. */
export function hasSegmentName(text: string, start: number, end: number, fieldSep: string): boolean {
  if (end - start < 3) return false;
  const a = text.charCodeAt(start);
  if (a < 65 || a > 90) return false;
  for (let i = start + 1; i < start + 3; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return end - start === 3 || text[start + 3] === fieldSep;
}
