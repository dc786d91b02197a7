// Lab messages → FHIR R4 following the V2-to-FHIR IG's message maps: ORU^R01 OBR → DiagnosticReport,
// OBX → Observation; ORM^O01 / OML^O21 ORC+OBR → ServiceRequest. Pure: the caller supplies the
// Patient/Encounter references and owns the Bundle. Deviations are listed in docs/fhir-mapping.md.
import type { DiagnosticReport, Identifier as FhirIdentifier, Observation, Resource, ServiceRequest } from '@medplum/fhirtypes';
import type { Hl7Message } from '../codecs/hl7v2/index.js';
import { Systems } from '../canonical/index.js';
import { fieldMissing } from './errors.js';
import { codeableConcept, observationValue, referenceRange } from './hl7-obx-value.js';
import { isoAt, opt, segmentsInOrder } from './hl7-read.js';
import { readXcn } from './hl7-read-person.js';
import { defaultIdentifierSystem } from './identifier-systems.js';
import { fhirDateTime, practitionerToFhir, type FhirMappingOptions } from './to-fhir-person.js';
import { stableUuid } from './to-fhir.js';

export interface LabRefs {
  patient: string;
  encounter?: string;
}

/** `Type/id` or `urn:uuid:id` references, as the caller's Bundle needs them. */
export type RefOf = (resource: Resource) => string;

// OBR-25 result status (table 0123) → DiagnosticReport.status (IG ConceptMap).
const REPORT_STATUS: Record<string, DiagnosticReport['status']> = { O: 'registered', I: 'registered', S: 'partial', A: 'partial', R: 'partial', P: 'preliminary', C: 'corrected', F: 'final', X: 'cancelled' };
// OBX-11 observation result status (table 0085) → Observation.status (IG ConceptMap).
const OBSERVATION_STATUS: Record<string, Observation['status']> = { C: 'corrected', D: 'entered-in-error', F: 'final', I: 'registered', N: 'cancelled', O: 'registered', P: 'preliminary', R: 'preliminary', S: 'preliminary', U: 'final', W: 'entered-in-error', X: 'cancelled' };
// ORC-5 order status (table 0038) → ServiceRequest.status; without ORC-5 the ORC-1 control code decides.
const ORDER_STATUS: Record<string, ServiceRequest['status']> = { A: 'active', CA: 'revoked', CM: 'completed', DC: 'revoked', ER: 'entered-in-error', HD: 'on-hold', IP: 'active', RP: 'revoked', SC: 'active' };
const ORDER_CONTROL_STATUS: Record<string, ServiceRequest['status']> = { NW: 'active', OK: 'active', SC: 'active', XO: 'active', CA: 'revoked', OC: 'revoked', DC: 'revoked', OD: 'revoked', HD: 'on-hold', OH: 'on-hold', RL: 'active', CM: 'completed' };
// OBR-5 / TQ1-9 priority (table 0485) → ServiceRequest.priority.
const PRIORITY: Record<string, ServiceRequest['priority']> = { S: 'stat', A: 'asap', R: 'routine', P: 'urgent', C: 'urgent', T: 'urgent' };
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** EI (entity id, namespace, universal id, type) at `at` → Identifier typed PLAC or FILL. */
function entityIdentifier(msg: Hl7Message, at: string, type: 'PLAC' | 'FILL', options: FhirMappingOptions): FhirIdentifier | undefined {
  const value = opt(msg, `${at}.1`);
  if (value === undefined) return undefined;
  const authority = { ...(opt(msg, `${at}.2`) ? { system: opt(msg, `${at}.2`) } : {}), ...(opt(msg, `${at}.3`) ? { universalId: opt(msg, `${at}.3`) } : {}), ...(opt(msg, `${at}.4`) ? { universalIdType: opt(msg, `${at}.4`) } : {}) };
  const system = (options.systemFor ?? defaultIdentifierSystem)(authority);
  return { value, ...(system ? { system } : {}), type: { coding: [{ system: Systems.v2_0203, code: type }] } };
}

/** Segments grouped under each OBR (ORU) or ORC (orders): the group's head and the segments until the next head. */
function groups(msg: Hl7Message, head: 'OBR' | 'ORC'): { head: string; members: { name: string; path: string }[] }[] {
  const out: { head: string; members: { name: string; path: string }[] }[] = [];
  for (const s of segmentsInOrder(msg)) {
    if (s.name === head) out.push({ head: s.path, members: [] });
    else out.at(-1)?.members.push(s);
  }
  return out;
}

const bare = (path: string): string => path.replace('[1]', '');

/** One OBX → Observation. */
function observation(msg: Hl7Message, obx: string, key: string, refs: LabRefs, effective: string | undefined): Observation {
  const code = codeableConcept(msg, `${obx}-3`);
  if (code === undefined) throw fieldMissing(`${bare(obx)}-3`, 'observation identifier', 'send the test code in OBX-3 (e.g. 2345-7^Glucose^LN)');
  const status = OBSERVATION_STATUS[(opt(msg, `${obx}-11`) ?? '').toUpperCase()] ?? 'unknown';
  const flags = msg.getAll(`${obx}-8.1`).filter((f) => f.trim() !== '');
  const when = isoAt(msg, `${obx}-14`, 'date/time of the observation') ?? effective;
  const range = referenceRange(msg, obx);
  return {
    resourceType: 'Observation', id: stableUuid(`Observation|${key}`), status, code,
    subject: { reference: refs.patient },
    ...(refs.encounter ? { encounter: { reference: refs.encounter } } : {}),
    ...(when ? { effectiveDateTime: fhirDateTime(when) } : {}),
    ...observationValue(msg, obx),
    ...(flags.length > 0 ? { interpretation: flags.map((f) => ({ coding: [{ system: INTERPRETATION, code: f }] })) } : {}),
    ...(range ? { referenceRange: range } : {}),
  };
}

/**
 * ORU^R01: each OBR → DiagnosticReport (placer/filler ids, OBR-4 code, OBR-7 effective, OBR-22
 * issued, OBR-25 status) with its OBX → Observations in `result`.
 *
 * @example
 * mapLabResults(msg, { patient: 'urn:uuid:p' }, (r) => `urn:uuid:${r.id}`) // [DiagnosticReport, Observation, ...]
 */
export function mapLabResults(msg: Hl7Message, refs: LabRefs, refOf: RefOf, options: FhirMappingOptions = {}): Resource[] {
  const out: Resource[] = [];
  groups(msg, 'OBR').forEach((g, i) => {
    const obr = g.head;
    const code = codeableConcept(msg, `${obr}-4`);
    if (code === undefined) throw fieldMissing(`${bare(obr)}-4`, 'universal service identifier', 'send the ordered test in OBR-4 (e.g. 24317-0^Hemogram^LN)');
    const identifiers = [entityIdentifier(msg, `${obr}-2`, 'PLAC', options), entityIdentifier(msg, `${obr}-3`, 'FILL', options)].filter((x) => x !== undefined);
    // The report's key: filler number (the lab's), else placer, else the message and OBR position.
    const key = opt(msg, `${obr}-3.1`) ?? opt(msg, `${obr}-2.1`) ?? `${msg.controlId}/${i + 1}`;
    const effective = isoAt(msg, `${obr}-7`, 'observation date/time');
    const issued = normalizeInstant(isoAt(msg, `${obr}-22`, 'results reported') ?? '');
    const observations = g.members.filter((m) => m.name === 'OBX')
      .map((m, n) => observation(msg, m.path.includes('[') ? m.path : `${m.path}[1]`, `${key}|${n + 1}|${opt(msg, `${m.path}-3.1`) ?? ''}`, refs, effective));
    const report: DiagnosticReport = {
      resourceType: 'DiagnosticReport', id: stableUuid(`DiagnosticReport|${key}`),
      ...(identifiers.length > 0 ? { identifier: identifiers } : {}),
      status: REPORT_STATUS[(opt(msg, `${obr}-25`) ?? '').toUpperCase()] ?? 'unknown',
      code,
      subject: { reference: refs.patient },
      ...(refs.encounter ? { encounter: { reference: refs.encounter } } : {}),
      ...(effective ? { effectiveDateTime: fhirDateTime(effective) } : {}),
      ...(issued ? { issued } : {}),
      ...(observations.length > 0 ? { result: observations.map((o) => ({ reference: refOf(o) })) } : {}),
    };
    out.push(report, ...observations);
  });
  return out;
}

/**
 * ORM^O01 / OML^O21: each OBR with the ORC before it → ServiceRequest (placer/filler ids, status from ORC-5 or
 * ORC-1, intent order, OBR-4 code, TQ1-9/OBR-5 priority, ORC-9 authoredOn, ORC-12 (else OBR-16)
 * requester as a Practitioner, OBR-31 reason).
 */
export function mapOrders(msg: Hl7Message, refs: LabRefs, refOf: RefOf, options: FhirMappingOptions = {}): Resource[] {
  const out: Resource[] = [];
  // Each OBR is one order; the ORC before it (and after the previous OBR) carries its control data.
  let orc: string | undefined = segmentsInOrder(msg).find((x) => x.name === 'ORC' || x.name === 'OBR')?.name === 'ORC' ? 'ORC' : undefined;
  let index = 0;
  for (const g of groups(msg, 'OBR')) {
    const obr = g.head;
    index += 1;
    const at = (f: number): string => `${obr}-${f}`;
    const tq1 = g.members.find((m) => m.name === 'TQ1')?.path;
    const code = codeableConcept(msg, at(4));
    if (code === undefined) throw fieldMissing(`${bare(obr)}-4`, 'ordered service', 'send the ordered test in OBR-4 (e.g. 24725-4^CT Head^LN)');
    // ORC-2/3 placer and filler numbers win over OBR-2/3 (the IG reads ORC first).
    const pick = (f: number): string => (orc && opt(msg, `${orc}-${f}.1`) ? `${orc}-${f}` : at(f));
    const identifiers = [entityIdentifier(msg, pick(2), 'PLAC', options), entityIdentifier(msg, pick(3), 'FILL', options)].filter((x) => x !== undefined);
    const key = identifiers[0]?.value ?? identifiers[1]?.value ?? `${msg.controlId}/${index}`;
    const code5 = orc ? opt(msg, `${orc}-5`)?.toUpperCase() : undefined;
    const code1 = orc ? opt(msg, `${orc}-1`)?.toUpperCase() : undefined;
    const status = (code5 ? ORDER_STATUS[code5] : undefined) ?? (code1 ? ORDER_CONTROL_STATUS[code1] : undefined) ?? 'unknown';
    const priorityCode = (tq1 ? opt(msg, `${tq1}-9.1`) : undefined) ?? opt(msg, at(5)) ?? (orc ? opt(msg, `${orc}-7.6`) : undefined);
    const priority = priorityCode ? PRIORITY[priorityCode.toUpperCase()] : undefined;
    const authoredOn = orc ? isoAt(msg, `${orc}-9`, 'date/time of transaction') : undefined;
    const requesterAt = orc && (opt(msg, `${orc}-12.1`) ?? opt(msg, `${orc}-12.2`)) ? `${orc}-12[1]` : `${at(16)}[1]`;
    const requester = readXcn(msg, requesterAt);
    const practitioner = requester ? practitionerToFhir(requester, options) : undefined;
    const reason = codeableConcept(msg, `${obr}-31[1]`);
    const request: ServiceRequest = {
      resourceType: 'ServiceRequest', id: stableUuid(`ServiceRequest|${key}`),
      ...(identifiers.length > 0 ? { identifier: identifiers } : {}),
      status, intent: 'order', code,
      ...(priority ? { priority } : {}),
      subject: { reference: refs.patient },
      ...(refs.encounter ? { encounter: { reference: refs.encounter } } : {}),
      ...(authoredOn ? { authoredOn: fhirDateTime(authoredOn) } : {}),
      ...(practitioner ? { requester: { reference: refOf(practitioner) } } : {}),
      ...(reason ? { reasonCode: [reason] } : {}),
    };
    if (practitioner && !out.some((r) => r.id === practitioner.id)) out.push(practitioner);
    out.push(request);
    orc = undefined;
    // an ORC among this OBR's segments belongs to the next OBR
    const next = g.members.filter((m) => m.name === 'ORC').at(-1);
    if (next) orc = next.path;
  }
  return out;
}

/** An instant needs seconds and an offset (FHIR `instant`). */
export function normalizeInstant(iso: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  return m ? `${m[1]}${m[2] ?? ':00'}${m[3]}` : undefined;
}
