/** One X12 segment, its elements labelled by position (BEG03, N104). */
export interface X12Segment {
  id: string;
  elements: { ref: string; value: string }[];
}

/**
 * Display decoder for X12: delimiters come from the fixed-width ISA (ISA position 3 is the
 * element separator, position 105 the segment terminator), falling back to `*` and `~`.
 *
 * @example
 * decodeX12('ST*850*0001~BEG*00*SA*PO123~')[1].elements[2]; // { ref: 'BEG03', value: 'PO123' }
 */
export function decodeX12(text: string): X12Segment[] {
  const trimmed = text.replace(/^\s+/, '');
  let elementSep = '*';
  let segmentTerm = '~';
  if (trimmed.startsWith('ISA') && trimmed.length >= 106) {
    elementSep = trimmed[3] ?? '*';
    segmentTerm = trimmed[105] ?? '~';
  }
  return trimmed
    .split(segmentTerm)
    .map((s) => s.replace(/^[\r\n]+|[\r\n]+$/g, ''))
    .filter((s) => s !== '')
    .map((s) => {
      const parts = s.split(elementSep);
      const id = parts[0] ?? '';
      return {
        id,
        elements: parts.slice(1).map((value, i) => ({ ref: `${id}${String(i + 1).padStart(2, '0')}`, value })),
      };
    });
}
