import type { Hl7Message } from '../codecs/hl7v2/index.js';
import type { Correlation, EventOf } from '../canonical/index.js';
import { fieldMissing, typeUnsupported } from './errors.js';
import { eventTime, opt, readMrn } from './hl7-read.js';

export type PatientMergedEvent = EventOf<'patient.merged'>;

/**
 * ADT^A40 (merge patient) and ADT^A47 (change patient identifier list) → one `patient.merged`
 * event per PID/MRG pair: MRG-1 is the old identifier, PID-3 the surviving one.
 *
 * @example
 * const [ev] = mapPatientMerge(parseHl7v2(a40)); // ev.data: { kind: 'merge', from: '56789', to: '12345' }
 */
export function mapPatientMerge(msg: Hl7Message): PatientMergedEvent[] {
  const trigger = msg.type.split('^')[1] ?? '';
  if (!msg.type.startsWith('ADT^') || (trigger !== 'A40' && trigger !== 'A47')) {
    throw typeUnsupported('MSH-9', msg.type, ['ADT^A40', 'ADT^A47']);
  }
  const kind = trigger === 'A40' ? 'merge' : 'identifier-change';
  const pairs = Math.max(msg.count('MRG'), 0);
  if (pairs === 0) throw fieldMissing('MRG', 'merge segment', `${msg.type} needs an MRG segment naming the prior identifier in MRG-1`);
  const occurredAt = eventTime(msg);
  const out: PatientMergedEvent[] = [];
  for (let i = 1; i <= pairs; i++) {
    const pid = i === 1 ? 'PID' : `PID[${i}]`;
    const mrg = i === 1 ? 'MRG' : `MRG[${i}]`;
    const to = readMrn(msg, pid).mrn;
    const from = readPriorMrn(msg, mrg);
    const account = opt(msg, `${mrg}-3.1`); // MRG-3 prior patient account number
    const reasonCode = opt(msg, 'EVN-4.1'); // EVN-4 event reason code
    out.push({
      id: `patient.merged/${from.value}->${to.value}/${occurredAt}`,
      type: 'patient.merged',
      occurredAt,
      correlation: { patient: to.value },
      version: 'v1',
      data: {
        kind, from: from.value, to: to.value,
        ...(from.system ? { fromSystem: from.system } : {}), ...(to.system ? { toSystem: to.system } : {}),
        ...(account ? { account } : {}), ...(reasonCode ? { reason: { code: reasonCode, system: 'http://terminology.hl7.org/CodeSystem/v2-0062' } } : {}),
      },
    });
  }
  return out;
}

/** MRG-1 prior patient identifier list: the MR-typed repetition, else the first. */
function readPriorMrn(msg: Hl7Message, mrg: string): { value: string; system?: string } {
  const n = msg.repetitionCount(`${mrg}-1`);
  let first: { value: string; system?: string } | undefined;
  for (let r = 1; r <= n; r++) {
    const value = opt(msg, `${mrg}-1[${r}].1`);
    if (value === undefined) continue;
    const system = opt(msg, `${mrg}-1[${r}].4.1`);
    const id = { value, ...(system ? { system } : {}) };
    if (opt(msg, `${mrg}-1[${r}].5`) === 'MR') return id;
    first ??= id;
  }
  if (first === undefined) throw fieldMissing(`${mrg}-1`, 'prior patient identifier', 'send the old MRN in MRG-1 (CX-1 id, CX-5 MR)');
  return first;
}

/** MRN → surviving MRN. Immutable: every change returns a new map. */
export type PatientKeyMap = ReadonlyMap<string, string>;

/**
 * Apply a merge/identifier change to the key map: `from` now resolves to `to`, and every key that
 * resolved to `from` resolves to `to` too (chains stay one hop). A change that would make a cycle
 * (`to` already resolves to `from`) redirects `to` to itself's target first, so the newest wins.
 *
 * @example
 * let keys = applyPatientMerge(new Map(), { from: 'A', to: 'B' });
 * keys = applyPatientMerge(keys, { from: 'B', to: 'C' });
 * resolveMrn(keys, 'A') // 'C'
 */
export function applyPatientMerge(keys: PatientKeyMap, change: { from: string; to: string }): PatientKeyMap {
  const next = new Map(keys);
  if (change.from === change.to) return next;
  next.delete(change.to); // the surviving MRN is canonical now (undoes an earlier opposite merge)
  for (const [k, v] of next) if (v === change.from) next.set(k, change.to);
  next.set(change.from, change.to);
  return next;
}

/** The surviving MRN for `mrn` (itself when never merged). */
export function resolveMrn(keys: PatientKeyMap, mrn: string): string {
  let cur = mrn;
  for (let hops = 0; hops < 64; hops++) {
    const next = keys.get(cur);
    if (next === undefined || next === cur) return cur;
    cur = next;
  }
  return cur;
}

/** Correlation keys with the patient MRN rewritten to the surviving one. */
export function rekeyCorrelation(correlation: Correlation, keys: PatientKeyMap): Correlation {
  if (correlation.patient === undefined) return correlation;
  const patient = resolveMrn(keys, correlation.patient);
  return patient === correlation.patient ? correlation : { ...correlation, patient };
}
