import type { Hl7Message } from '../codecs/hl7v2/index.js';
import { hl7DateTimeToIso } from '../codecs/hl7v2/index.js';
import type { Identifier } from '../canonical/index.js';
import { fieldInvalid, fieldMissing } from './errors.js';

/** Value at `path`, or undefined when absent, empty or the explicit null `""`. */
export function opt(msg: Hl7Message, path: string): string | undefined {
  const v = msg.get(path);
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' || t === '""' ? undefined : t;
}

/** Value at `path` or a `mapping.field.missing` LoomError naming the path. */
export function req(msg: Hl7Message, path: string, what: string, hint: string): string {
  const v = opt(msg, path);
  if (v === undefined) throw fieldMissing(path, what, hint);
  return v;
}

/** HL7 DTM at `path` as ISO 8601, undefined when empty; `mapping.field.invalid` when malformed. */
export function isoAt(msg: Hl7Message, path: string, what: string): string | undefined {
  const v = opt(msg, path);
  if (v === undefined) return undefined;
  try {
    return hl7DateTimeToIso(v);
  } catch (err) {
    throw fieldInvalid(path, what, v, 'send YYYYMMDD[HHMM[SS]][+/-ZZZZ], e.g. 20240301123000-0500', err);
  }
}

/** Each segment in order with its 1-based occurrence number (`{ name: 'FT1', n: 2 }` is `FT1[2]`). */
export function segmentsInOrder(msg: Hl7Message): { name: string; n: number; path: string }[] {
  const seen = new Map<string, number>();
  return msg.segmentNames().map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return { name, n, path: n === 1 ? name : `${name}[${n}]` };
  });
}

/**
 * PID-3 patient identifier list: the repetition typed MR (CX-5), else the first repetition.
 * CX-4.1 (assigning authority namespace) becomes the identifier system; CX-4.2/4.3 (universal id and
 * its type) are kept so the FHIR mapping can turn them into a URI (see identifier-systems.ts).
 */
export function readMrn(msg: Hl7Message, pid = 'PID'): { mrn: Identifier; all: Identifier[] } {
  const n = msg.repetitionCount(`${pid}-3`);
  const all: Identifier[] = [];
  for (let r = 1; r <= n; r++) {
    const value = opt(msg, `${pid}-3[${r}].1`);
    if (value === undefined) continue;
    const system = opt(msg, `${pid}-3[${r}].4.1`) ?? opt(msg, `${pid}-3[${r}].4.2`);
    const universalId = opt(msg, `${pid}-3[${r}].4.2`);
    const universalIdType = opt(msg, `${pid}-3[${r}].4.3`);
    const type = opt(msg, `${pid}-3[${r}].5`);
    all.push({ value, ...(system ? { system } : {}), ...(type ? { type } : {}), ...(universalId ? { universalId } : {}), ...(universalIdType ? { universalIdType } : {}) });
  }
  const mrn = all.find((i) => i.type === 'MR') ?? all[0];
  if (mrn === undefined) throw fieldMissing(`${pid}-3`, 'patient identifier list', 'send the MRN in PID-3 (CX-1 id, CX-5 type MR)');
  return { mrn, all };
}

/** PV1-19 visit number (CX): the encounter's business key. */
export function readVisitNumber(msg: Hl7Message): Identifier {
  const value = req(msg, 'PV1-19.1', 'visit number', 'the EHR must send the visit (encounter) number in PV1-19; configure its ADT/DFT interface to populate it');
  const system = opt(msg, 'PV1-19.4.1') ?? opt(msg, 'PV1-19.4.2');
  const universalId = opt(msg, 'PV1-19.4.2');
  const universalIdType = opt(msg, 'PV1-19.4.3');
  return { value, type: 'VN', ...(system ? { system } : {}), ...(universalId ? { universalId } : {}), ...(universalIdType ? { universalIdType } : {}) };
}

/** PV1-3 assigned patient location (PL): point of care, room, bed, facility. */
export function readLocation(msg: Hl7Message): { pointOfCare?: string; room?: string; bed?: string; facility?: string } | undefined {
  const loc = {
    pointOfCare: opt(msg, 'PV1-3.1.1') ?? opt(msg, 'PV1-3.1'),
    room: opt(msg, 'PV1-3.2.1') ?? opt(msg, 'PV1-3.2'),
    bed: opt(msg, 'PV1-3.3.1') ?? opt(msg, 'PV1-3.3'),
    facility: opt(msg, 'PV1-3.4.1') ?? opt(msg, 'PV1-3.4'),
  };
  const entries = Object.entries(loc).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** MSH-9 message code and trigger, e.g. `ADT^A03`. */
export function messageType(msg: Hl7Message): string {
  return msg.type;
}

/** The occurred-at instant of the message's event: EVN-6, else EVN-2, else MSH-7. */
export function eventTime(msg: Hl7Message): string {
  return isoAt(msg, 'EVN-6', 'event occurred') ?? isoAt(msg, 'EVN-2', 'event recorded time') ??
    isoAt(msg, 'MSH-7', 'message time') ?? (() => { throw fieldMissing('MSH-7', 'message date/time', 'MSH-7 is required by HL7 v2'); })();
}
