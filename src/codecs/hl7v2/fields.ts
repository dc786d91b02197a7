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

/**
 * Split text into segment strings once: CR, CRLF or LF end a segment; blank lines are skipped.
 * Uses two indexOf cursors so a 1 KB message costs a handful of native scans.
 */
export function splitSegments(text: string): string[] {
  const out: string[] = [];
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
    if (end > pos) {
      const seg = text.slice(pos, end);
      if (!isBlank(seg)) out.push(seg);
    }
    pos = end + 1;
  }
  return out;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
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
export function hasSegmentName(seg: string, fieldSep: string): boolean {
  if (seg.length < 3) return false;
  const a = seg.charCodeAt(0);
  if (a < 65 || a > 90) return false;
  for (let i = 1; i < 3; i++) {
    const c = seg.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return seg.length === 3 || seg[3] === fieldSep;
}
