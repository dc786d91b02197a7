import type { X12Interchange, X12Segment } from './types.js';

/** Text of one segment without its terminator. */
export function segmentText(seg: X12Segment, elementSeparator: string): string {
  const raw = (seg as { raw?: string }).raw;
  if (raw !== undefined) return raw;
  return seg.elements.length === 0 ? seg.id : seg.id + elementSeparator + seg.elements.join(elementSeparator);
}

/**
 * Write an interchange (and any chained `next` interchanges) back to X12 text. For parsed input
 * the output is byte-identical: element text, terminators and line breaks are kept as read.
 *
 * @example
 * serializeX12(parseX12(text)) === text; // true for valid input
 */
export function serializeX12(interchange: X12Interchange): string {
  let out = interchange.bom ? '\ufeff' : '';
  for (let ic: X12Interchange | undefined = interchange; ic; ic = ic.next) {
    const sep = ic.delimiters.element;
    const parts: string[] = [];
    for (const seg of ic.segments) {
      // ISA16 is stored as the last ISA element, so the generic join reproduces the ISA too.
      parts.push(segmentText(seg, sep), seg.after);
    }
    out += parts.join('');
  }
  return out;
}
