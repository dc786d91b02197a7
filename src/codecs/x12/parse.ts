import { LoomError } from '../../kernel/errors.js';
import { scanIsa } from './delimiters.js';
import { getX12 } from './path.js';
import type { X12Delimiters, X12FunctionalGroup, X12Interchange, X12Segment, X12TransactionSet } from './types.js';

const SEGMENT_ID = /^[A-Z0-9]{2,3}$/;

class TransactionSet implements X12TransactionSet {
  readonly segments: X12Segment[] = [];
  se?: X12Segment;
  constructor(
    readonly st: X12Segment,
    readonly componentSeparator: string,
  ) {
    this.segments.push(st);
  }
  get type(): string {
    return this.st.elements[0] ?? '';
  }
  get controlNumber(): string {
    return this.st.elements[1] ?? '';
  }
  get(path: string): string | undefined {
    return getX12(this, path);
  }
}

/** Decode bytes as UTF-8 and report (and remove) a leading byte order mark. */
export function decodeX12Input(input: string | Uint8Array): { text: string; bom: boolean } {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { ignoreBOM: true }).decode(input);
  return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), bom: true } : { text, bom: false };
}

function structureError(message: string, seg: X12Segment, hint: string): LoomError {
  return new LoomError('x12.envelope.structure', message, { location: `${seg.id} segment ${seg.position}`, hint });
}

/**
 * Parse an ASC X12 interchange (ISA..IEA) into groups and transaction sets. Further interchanges
 * in the same input are chained on `next`. Throws LoomError when the ISA is unreadable, a segment
 * id is malformed, or a segment sits outside its envelope.
 *
 * @example
 * const ic = parseX12(text);
 * ic.groups[0].sets[0].get('BEG03'); // PO number
 */
export function parseX12(input: string | Uint8Array): X12Interchange {
  const { text, bom } = decodeX12Input(input);
  let start = 0;
  while (start < text.length && (text[start] === '\r' || text[start] === '\n' || text[start] === ' ')) start++;
  if (start > 0) {
    throw new LoomError('x12.isa.invalid', 'the input has blank text before ISA', { location: 'ISA', hint: 'remove the leading whitespace' });
  }
  const first = parseFrom(text, 0, bom);
  return first.interchange;
}

function parseFrom(text: string, start: number, bom: boolean): { interchange: X12Interchange; end: number } {
  const scan = scanIsa(text, start);
  const d = scan.delimiters;
  const segments: X12Segment[] = [];
  const isa: X12Segment = { id: 'ISA', elements: scan.elements, position: 1, after: '' };
  segments.push(isa);
  let pos = readAfter(text, scan.contentEnd, d, isa);
  const groups: X12FunctionalGroup[] = [];
  let group: X12FunctionalGroup | undefined;
  let set: TransactionSet | undefined;
  let iea: X12Segment | undefined;
  let nextStart = -1;
  while (pos < text.length) {
    if (text.startsWith('ISA', pos) && text[pos + 3] === d.element && segments.length > 1) {
      nextStart = pos;
      break;
    }
    let idx = text.indexOf(d.segment, pos);
    if (idx === -1) idx = text.length;
    let contentEnd = idx;
    if (d.segment === '\n' && text[contentEnd - 1] === '\r') contentEnd--;
    const content = text.slice(pos, contentEnd);
    const seg = splitSegment(content, d, segments.length + 1);
    segments.push(seg);
    pos = readAfter(text, contentEnd, d, seg);
    switch (seg.id) {
      case 'ISA':
        throw structureError('a second ISA appears inside an interchange', seg, 'close the interchange with IEA before the next ISA');
      case 'GS':
        if (iea) throw structureError('GS after IEA', seg, 'start a new interchange with ISA');
        set = undefined;
        group = { functionalId: seg.elements[0] ?? '', controlNumber: seg.elements[5] ?? '', version: seg.elements[7] ?? '', gs: seg, sets: [] };
        groups.push(group);
        break;
      case 'GE':
        if (!group) throw structureError('GE without a preceding GS', seg, 'open the functional group with GS');
        group.ge = seg;
        group = undefined;
        set = undefined;
        break;
      case 'ST':
        if (!group) throw structureError('ST outside a functional group', seg, 'put transaction sets between GS and GE');
        set = new TransactionSet(seg, d.component);
        group.sets.push(set);
        break;
      case 'SE':
        if (!set) throw structureError('SE without a preceding ST', seg, 'open the transaction set with ST');
        set.segments.push(seg);
        set.se = seg;
        set = undefined;
        break;
      case 'IEA':
        if (iea) throw structureError('a second IEA', seg, 'an interchange has one IEA');
        iea = seg;
        group = undefined;
        set = undefined;
        break;
      case 'TA1':
        // TA1 interchange acknowledgements sit directly in the interchange, outside any group.
        if (group || iea) throw structureError('TA1 inside a functional group', seg, 'put TA1 between ISA and the first GS');
        break;
      default:
        if (!set) {
          throw structureError(`${seg.id} is outside a transaction set`, seg, 'data segments belong between ST and SE');
        }
        set.segments.push(seg);
    }
    if (iea && pos < text.length && !text.startsWith('ISA', pos)) {
      throw structureError('text follows the IEA', seg, 'remove the text after IEA or start a new interchange with ISA');
    }
  }
  const e = scan.elements;
  const interchange: X12Interchange = {
    delimiters: d,
    isa,
    iea,
    groups,
    segments,
    senderId: (e[5] ?? '').trim(),
    receiverId: (e[7] ?? '').trim(),
    controlNumber: e[12] ?? '',
    isaVersion: e[11] ?? '',
    bom,
  };
  if (nextStart !== -1) interchange.next = parseFrom(text, nextStart, false).interchange;
  return { interchange, end: pos };
}

/** Consume the terminator and any CR/LF after it into `seg.after`; return the next segment's start. */
function readAfter(text: string, contentEnd: number, d: X12Delimiters, seg: X12Segment): number {
  let p = contentEnd;
  if (text[p] === '\r' && d.segment === '\n') p++;
  if (text.startsWith(d.segment, p)) p += d.segment.length;
  while (p < text.length && (text[p] === '\r' || text[p] === '\n')) p++;
  seg.after = text.slice(contentEnd, p);
  return p;
}

function splitSegment(content: string, d: X12Delimiters, position: number): X12Segment {
  const cut = content.indexOf(d.element);
  const id = cut === -1 ? content : content.slice(0, cut);
  if (!SEGMENT_ID.test(id)) {
    const shown = id.length > 12 ? `${id.slice(0, 12)}...` : id;
    throw new LoomError('x12.segment.invalid-id', `segment ${position} starts with "${shown}", which is not a segment id`, {
      location: `segment ${position}`,
      hint: 'a segment id is 2-3 upper-case letters or digits; check the segment terminator and line breaks',
    });
  }
  const elements = cut === -1 ? [] : content.slice(cut + 1).split(d.element);
  return { id, elements, position, after: '' };
}
