import { LoomError } from '../../kernel/errors.js';
import { scanIsa } from './delimiters.js';
import { getX12 } from './path.js';
import type { X12Delimiters, X12FunctionalGroup, X12Interchange, X12Segment, X12TransactionSet } from './types.js';

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
  // The ISA is a LazySegment too (elements preset) so every segment has one shape for the JIT.
  const isa = new LazySegment('ISA', 1, text, -1, scan.contentEnd, d.element);
  isa.elements = scan.elements;
  segments.push(isa);
  let pos = readAfter(text, scan.contentEnd, d, isa);
  const groups: X12FunctionalGroup[] = [];
  let group: X12FunctionalGroup | undefined;
  let set: TransactionSet | undefined;
  let iea: X12Segment | undefined;
  let nextStart = -1;
  while (pos < text.length) {
    if (text.charCodeAt(pos) === 73 && text.startsWith('ISA', pos) && text[pos + 3] === d.element) {
      nextStart = pos;
      break;
    }
    let idx = text.indexOf(d.segment, pos);
    if (idx === -1) idx = text.length;
    let contentEnd = idx;
    if (d.segment === '\n' && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    const seg = readSegment(text, pos, contentEnd, d.element, segments.length + 1);
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
  const next = text.charCodeAt(p + 1);
  if (text[p] === d.segment && next !== 10 && next !== 13) {
    // Common case: a bare terminator; share the delimiter string instead of slicing a new one.
    seg.after = d.segment;
    return p + 1;
  }
  if (text[p] === '\r' && d.segment === '\n') p++;
  if (text.startsWith(d.segment, p)) p += d.segment.length;
  while (p < text.length && (text[p] === '\r' || text[p] === '\n')) p++;
  seg.after = text.slice(contentEnd, p);
  return p;
}

/**
 * A parsed segment that splits its elements on first access: validation and `get` touch few
 * segments, and serializing an untouched segment writes its source text back unchanged.
 */
class LazySegment implements X12Segment {
  after = '';
  private cached?: string[];
  constructor(
    readonly id: string,
    readonly position: number,
    private readonly text: string,
    /** Index of the element separator after the id, or -1 when the segment has no elements. */
    private readonly cut: number,
    private readonly end: number,
    private readonly separator: string,
  ) {}
  get elements(): string[] {
    if (this.cached === undefined) this.cached = this.cut === -1 ? [] : splitRange(this.text, this.cut + 1, this.end, this.separator);
    return this.cached;
  }
  set elements(value: string[]) {
    this.cached = value;
  }
  /** Source text of the segment when its elements were never handed out (so cannot have changed). */
  get raw(): string | undefined {
    return this.cached === undefined ? this.text.slice(this.cut === -1 ? this.end - this.id.length : this.cut - this.id.length, this.end) : undefined;
  }
  toJSON(): { id: string; elements: string[]; position: number; after: string } {
    return { id: this.id, elements: this.elements, position: this.position, after: this.after };
  }
}

/** Split text[start, end) on `sep` without first copying the range (what slice().split() would do). */
function splitRange(text: string, start: number, end: number, sep: string): string[] {
  const out: string[] = [];
  let from = start;
  for (;;) {
    const at = text.indexOf(sep, from);
    if (at === -1 || at >= end) {
      out.push(text.slice(from, end));
      return out;
    }
    out.push(text.slice(from, at));
    from = at + 1;
  }
}

function isIdChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

function readSegment(text: string, start: number, end: number, element: string, position: number): X12Segment {
  let cut = text.indexOf(element, start);
  if (cut === -1 || cut > end) cut = -1;
  const idEnd = cut === -1 ? end : cut;
  const len = idEnd - start;
  if (len < 2 || len > 3 || !isIdChar(text.charCodeAt(start)) || !isIdChar(text.charCodeAt(start + 1)) || (len === 3 && !isIdChar(text.charCodeAt(start + 2)))) {
    const id = text.slice(start, Math.min(idEnd, start + 12));
    throw new LoomError('x12.segment.invalid-id', `segment ${position} starts with "${id}${idEnd - start > 12 ? '...' : ''}", which is not a segment id`, {
      location: `segment ${position}`,
      hint: 'a segment id is 2-3 upper-case letters or digits; check the segment terminator and line breaks',
    });
  }
  return new LazySegment(text.slice(start, idEnd), position, text, cut, end, element);
}
