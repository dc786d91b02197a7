import { scanIsa } from './delimiters.js';
import { decodeX12Input } from './parse.js';

/** What the engine's hot path needs before journaling: who, which control numbers, which sets. */
export interface X12Header {
  /** ISA06 trimmed. */
  senderId: string;
  /** ISA08 trimmed. */
  receiverId: string;
  /** ISA13. */
  controlNumber: string;
  /** GS08 of the first group, else ISA12. */
  version: string;
  groups: { functionalId: string; controlNumber: string }[];
  /** ST01 of every set, in order. */
  transactionTypes: string[];
}

/**
 * Read the envelope header without a full parse: delimiters from the ISA, then only GS and ST
 * segments are split. Throws LoomError `x12.isa.invalid` when the ISA is unreadable.
 *
 * @example
 * readX12Header(bytes).controlNumber; // '000003438'
 */
export function readX12Header(input: string | Uint8Array): X12Header {
  const { text } = decodeX12Input(input);
  const scan = scanIsa(text, 0);
  const { element, segment } = scan.delimiters;
  const e = scan.elements;
  const groups: X12Header['groups'] = [];
  const transactionTypes: string[] = [];
  let pos = scan.contentEnd + 1;
  while (pos < text.length) {
    while (text[pos] === '\r' || text[pos] === '\n') pos++;
    let end = text.indexOf(segment, pos);
    if (end === -1) end = text.length;
    // Only segments starting "GS<sep>" or "ST<sep>" are split; the rest is skipped by indexOf.
    if (text[pos + 2] === element) {
      const id = text.slice(pos, pos + 2);
      if (id === 'GS' || id === 'ST') {
        const parts = text.slice(pos, end).replace(/\r$/, '').split(element);
        if (id === 'GS') groups.push({ functionalId: parts[1] ?? '', controlNumber: parts[6] ?? '' });
        else transactionTypes.push(parts[1] ?? '');
      }
    }
    pos = end + segment.length;
  }
  return {
    senderId: (e[5] ?? '').trim(),
    receiverId: (e[7] ?? '').trim(),
    controlNumber: e[12] ?? '',
    version: groupVersion(text, element, segment, scan.contentEnd) ?? e[11] ?? '',
    groups,
    transactionTypes,
  };
}

function groupVersion(text: string, element: string, segment: string, from: number): string | undefined {
  const at = text.indexOf(`GS${element}`, from);
  if (at === -1) return undefined;
  let end = text.indexOf(segment, at);
  if (end === -1) end = text.length;
  return text.slice(at, end).replace(/\r$/, '').split(element)[8];
}
