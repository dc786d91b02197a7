import type { X12Interchange, X12Segment } from './types.js';

/** One segment in the JSON tree: id and elements (01 first), components left joined. */
export interface X12SegmentJson {
  id: string;
  elements: string[];
}

/**
 * The documented JSON form (`loom convert --to json`):
 * `{ interchanges: [{ senderId, receiverId, controlNumber, version, delimiters, isa, iea,
 *   groups: [{ functionalId, controlNumber, version, gs, ge, sets: [{ type, controlNumber, segments }] }] }] }`.
 *
 * @example
 * x12ToJson(parseX12(text)).interchanges[0].groups[0].sets[0].type; // '850'
 */
export function x12ToJson(ic: X12Interchange): unknown {
  const seg = (s: X12Segment | undefined): X12SegmentJson | null => (s ? { id: s.id, elements: [...s.elements] } : null);
  const interchanges: unknown[] = [];
  for (let i: X12Interchange | undefined = ic; i; i = i.next) {
    interchanges.push({
      senderId: i.senderId,
      receiverId: i.receiverId,
      controlNumber: i.controlNumber,
      version: i.isaVersion,
      delimiters: { ...i.delimiters },
      isa: seg(i.isa),
      iea: seg(i.iea),
      groups: i.groups.map((g) => ({
        functionalId: g.functionalId,
        controlNumber: g.controlNumber,
        version: g.version,
        gs: seg(g.gs),
        ge: seg(g.ge),
        sets: g.sets.map((s) => ({ type: s.type, controlNumber: s.controlNumber, segments: s.segments.map(seg) })),
      })),
    });
  }
  return { interchanges };
}
