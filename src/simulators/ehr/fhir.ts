import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http.js';
import type { EhrStage, SimCase, SimImplant } from '../scenario/types.js';

type Resource = Record<string, unknown> & { resourceType: string; id: string };

/** What the EHR has recorded of a case so far, as its messages went out. */
export interface CaseRecord { case: SimCase; scheduled: boolean; admitted: boolean; procedureDone: boolean; discharged: boolean; dischargedAt?: string }

const MRN_SYSTEM = 'urn:loom:sim:ehr:mrn';
const VISIT_SYSTEM = 'urn:loom:sim:ehr:visit';

/** Apply a stage to the record (A13 reopens the encounter). */
export function applyStage(r: CaseRecord, stage: EhrStage, at: string): void {
  if (stage === 'scheduled') r.scheduled = true;
  if (stage === 'admitted') r.admitted = true;
  if (stage === 'procedure') r.procedureDone = true;
  if (stage === 'discharged') { r.discharged = true; r.dischargedAt = at; }
  if (stage === 'discharge-cancelled') { r.discharged = false; r.dischargedAt = undefined; }
}

const patientId = (c: SimCase) => `pat-${c.patient.mrn}`;
const encounterId = (c: SimCase) => `enc-${c.visitNumber}`;
const deviceId = (i: SimImplant) => `dev-${i.serial}`;

function resourcesOf(r: CaseRecord): Resource[] {
  const c = r.case;
  const subject = { reference: `Patient/${patientId(c)}` };
  const out: Resource[] = [{
    resourceType: 'Patient', id: patientId(c),
    identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: MRN_SYSTEM, value: c.patient.mrn }],
    name: [{ family: c.patient.family, given: [c.patient.given] }], gender: c.patient.sex === 'F' ? 'female' : 'male', birthDate: c.patient.birthDate,
  }];
  const status = r.discharged ? 'finished' : r.admitted ? 'in-progress' : 'planned';
  out.push({
    resourceType: 'Encounter', id: encounterId(c), status, identifier: [{ system: VISIT_SYSTEM, value: c.visitNumber }],
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' }, subject,
    period: { start: r.admitted ? c.admitAt : c.procedureAt, ...(r.dischargedAt ? { end: r.dischargedAt } : {}) },
    location: [{ location: { display: c.location } }],
  });
  if (!r.procedureDone) return out;
  for (const imp of c.implants) {
    out.push({
      resourceType: 'Device', id: deviceId(imp), status: 'active', patient: subject,
      udiCarrier: [{ deviceIdentifier: imp.form === 'GS1' ? imp.gtin : imp.hibccDi,
        issuer: imp.form === 'GS1' ? 'http://hl7.org/fhir/NamingSystem/gs1-di' : 'http://hl7.org/fhir/NamingSystem/hibcc-dI',
        carrierHRF: imp.udi, entryType: 'barcode' }],
      lotNumber: imp.lot, serialNumber: imp.serial, expirationDate: imp.expiry,
    });
  }
  out.push({
    resourceType: 'Procedure', id: `proc-${c.caseId}`, status: 'completed',
    code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: c.procedure.code, display: c.procedure.display }] },
    subject, encounter: { reference: `Encounter/${encounterId(c)}` }, performedDateTime: c.procedureAt,
    focalDevice: c.implants.map((imp) => ({
      action: { coding: [{ system: 'http://snomed.info/sct', code: '129338005', display: 'Surgical implantation procedure' }] },
      manipulated: { reference: `Device/${deviceId(imp)}` },
    })),
  });
  return out;
}

/**
 * `meta.versionId` and `meta.lastUpdated` per resource, moved only when the resource's content
 * changes (FHIR's meta semantics), so `_lastUpdated` polling sees each change once.
 */
export class ResourceVersions {
  private readonly known = new Map<string, { json: string; versionId: number; lastUpdated: string }>();
  private lastMs = 0;

  stamp(r: Resource): Resource {
    const key = `${r.resourceType}/${r.id}`;
    const json = JSON.stringify(r);
    let v = this.known.get(key);
    if (!v || v.json !== json) {
      this.lastMs = Math.max(Date.now(), this.lastMs + 1); // strictly increasing: no two changes share an instant
      v = { json, versionId: (v?.versionId ?? 0) + 1, lastUpdated: new Date(this.lastMs).toISOString() };
      this.known.set(key, v);
    }
    return { ...r, meta: { versionId: String(v.versionId), lastUpdated: v.lastUpdated } };
  }
}

/** `_lastUpdated=ge2026-…` (prefixes eq, ge, gt, le, lt; repeatable). */
function lastUpdatedMatches(values: string[], lastUpdated: string): boolean {
  const at = Date.parse(lastUpdated);
  return values.every((raw) => {
    const m = /^(eq|ge|gt|le|lt)?(.+)$/.exec(raw);
    const bound = Date.parse(m?.[2] ?? '');
    if (!Number.isFinite(bound)) return false;
    switch (m?.[1]) {
      case 'ge': return at >= bound;
      case 'gt': return at > bound;
      case 'le': return at <= bound;
      case 'lt': return at < bound;
      default: return at === bound;
    }
  });
}

function refMatches(param: string, id: string, type: string, businessId: string): boolean {
  const v = param.replace(new RegExp(`^${type}/`), '');
  return v === id || v === businessId;
}

/**
 * Serve `/fhir/R4/{Patient|Encounter|Procedure|Device}` read and search (`patient`, `encounter`,
 * `identifier`, `_id`) over the recorded cases; answers true when it handled the request.
 */
export function handleFhir(records: Iterable<CaseRecord>, req: IncomingMessage, res: ServerResponse, url: URL, base: string, versions = new ResourceVersions()): boolean {
  if (url.pathname === '/fhir/R4/metadata') {
    sendJson(res, 200, { resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', format: ['json'],
      rest: [{ mode: 'server', resource: ['Patient', 'Encounter', 'Procedure', 'Device'].map((type) => ({ type, interaction: [{ code: 'read' }, { code: 'search-type' }],
        searchParam: ['_id', 'patient', 'encounter', 'identifier', '_lastUpdated'].map((name) => ({ name, type: name === '_lastUpdated' ? 'date' : name === 'identifier' || name === '_id' ? 'token' : 'reference' })) })) }] });
    return true;
  }
  const m = /^\/fhir\/R4\/(Patient|Encounter|Procedure|Device)(?:\/([^/]+))?$/.exec(url.pathname);
  if (!m) return false;
  const type = m[1];
  const all = new Map<string, { r: Resource; c: SimCase }>();
  for (const rec of records) for (const r of resourcesOf(rec)) if (r.resourceType === type) all.set(r.id, { r: versions.stamp(r), c: rec.case });
  if (m[2] !== undefined) {
    const hit = all.get(m[2]);
    if (hit) sendJson(res, 200, hit.r);
    else sendJson(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: `${type}/${m[2]} not found` }] });
    return true;
  }
  const p = url.searchParams;
  const hits = [...all.values()].filter(({ r, c }) => {
    const patient = p.get('patient') ?? p.get('subject');
    if (patient !== null && !refMatches(patient, patientId(c), 'Patient', c.patient.mrn)) return false;
    const enc = p.get('encounter');
    // encounter= narrows every type to the resources of that encounter's case
    if (enc !== null && !refMatches(enc, encounterId(c), 'Encounter', c.visitNumber)) return false;
    const ident = p.get('identifier');
    if (ident !== null) {
      const value = ident.includes('|') ? ident.split('|')[1] : ident;
      const ids = (r.identifier as { value: string }[] | undefined)?.map((i) => i.value) ?? [];
      if (!ids.includes(value)) return false;
    }
    const id = p.get('_id');
    if (id !== null && r.id !== id) return false;
    const lastUpdated = p.getAll('_lastUpdated');
    return lastUpdated.length === 0 || lastUpdatedMatches(lastUpdated, (r.meta as { lastUpdated: string }).lastUpdated);
  });
  if (p.get('_sort') === '_lastUpdated') hits.sort((a, b) => ((a.r.meta as { lastUpdated: string }).lastUpdated < (b.r.meta as { lastUpdated: string }).lastUpdated ? -1 : 1));
  // Paging: `_count` per page, `_offset` for the next link (the FHIR spec leaves the paging parameter to the server).
  const count = Number(p.get('_count') ?? NaN);
  const offset = Number(p.get('_offset') ?? 0);
  const page = Number.isInteger(count) && count > 0 ? hits.slice(offset, offset + count) : hits;
  const link: Array<{ relation: string; url: string }> = [{ relation: 'self', url: `${base}${url.pathname}${url.search}` }];
  if (page !== hits && offset + count < hits.length) {
    const next = new URL(`${base}${url.pathname}${url.search}`);
    next.searchParams.set('_offset', String(offset + count));
    link.push({ relation: 'next', url: next.toString() });
  }
  sendJson(res, 200, {
    resourceType: 'Bundle', type: 'searchset', total: hits.length, link,
    entry: page.map(({ r }) => ({ fullUrl: `${base}/fhir/R4/${type}/${r.id}`, resource: r, search: { mode: 'match' } })),
  });
  return true;
}
