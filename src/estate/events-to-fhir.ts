// Canonical event → FHIR R4 for Loom's own FHIR store (`fhir-store` destination of the estate's
// `fhir-feed` channel). Ids are stableUuid of business keys, so a duplicate or replayed event
// upserts the same resource (the store keeps one version when the content is unchanged).
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { CanonicalEvent, EventOf } from '../canonical/index.js';
import { LoomError } from '../kernel/index.js';
import { chargeToFhir, deviceUseToFhirDevice, deviceUseToFhirProcedure, encounterToFhir, movementToSupplyDelivery, stableUuid } from '../mappings/index.js';

/** Event types `events-to-fhir` maps; the channel's filter step drops the others before translate. */
export const FHIR_EVENT_TYPES = ['device.implanted', 'charge.captured', 'encounter.discharged', 'supply.consumed'] as const;

const patientRef = (mrn: string | undefined): string | undefined => (mrn ? `Patient/${stableUuid(`Patient|${mrn}`)}` : undefined);
const encounterRef = (visit: string | undefined): string | undefined => (visit ? `Encounter/${stableUuid(`Encounter|${visit}`)}` : undefined);
const refs = (mrn: string | undefined, visit: string | undefined): { patient?: string; encounter?: string } => {
  const p = patientRef(mrn);
  const e = encounterRef(visit);
  return { ...(p ? { patient: p } : {}), ...(e ? { encounter: e } : {}) };
};

/** Device id from the device's own business key (DI + serial, else lot), not the reporting message's id. */
export function deviceId(u: EventOf<'device.implanted'>['data']): string {
  return stableUuid(`Device|${u.di}|${u.serial ?? u.lot ?? u.id}`);
}

function transaction(resources: Resource[]): Bundle {
  const entry: BundleEntry[] = resources.map((r) => ({ fullUrl: `urn:uuid:${r.id ?? ''}`, resource: r, request: { method: 'PUT', url: `${r.resourceType}/${r.id ?? ''}` } }));
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

/**
 * One canonical event → one FHIR resource or a transaction Bundle (device.implanted: Device + Procedure with focalDevice).
 *
 * @example
 * eventToFhir(chargeEvent).resourceType // 'ChargeItem'
 */
export function eventToFhir(input: unknown): Resource {
  const e = input as Partial<CanonicalEvent> | null;
  if (typeof input !== 'object' || e === null || typeof e.type !== 'string' || typeof e.data !== 'object') {
    throw new LoomError('estate.mapping.input', 'events-to-fhir needs a canonical event (JSON with type and data)', { location: 'type', hint: 'route canonical events from the events channel' });
  }
  const ev = input as CanonicalEvent;
  switch (ev.type) {
    case 'device.implanted': {
      const u = ev.data;
      const r = refs(u.patientMrn ?? ev.correlation.patient, u.encounter ?? ev.correlation.encounter);
      const device = deviceUseToFhirDevice(u, r.patient, deviceId(u));
      const procedure = deviceUseToFhirProcedure(u, `Device/${device.id ?? ''}`, r);
      return transaction([device, procedure]);
    }
    case 'charge.captured':
      return chargeToFhir(ev.data, refs(ev.data.patientMrn ?? ev.correlation.patient, ev.data.encounter ?? ev.correlation.encounter));
    case 'encounter.discharged':
      return encounterToFhir({ ...ev.data, status: 'finished', dischargedAt: ev.data.dischargedAt ?? ev.occurredAt }, patientRef(ev.data.patientMrn ?? ev.correlation.patient));
    case 'supply.consumed':
      return movementToSupplyDelivery(ev.data);
    default:
      throw new LoomError('estate.mapping.event-type', `events-to-fhir has no FHIR mapping for ${ev.type}`, {
        location: 'type', hint: `filter the channel to ${FHIR_EVENT_TYPES.join(', ')}`,
      });
  }
}
