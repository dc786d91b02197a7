// Canonical event → FHIR R4 for Loom's own FHIR store (`fhir-store` destination of the estate's
// `fhir-feed` channel). Ids are stableUuid of business keys, so a duplicate or replayed event
// upserts the same resource (the store keeps one version when the content is unchanged).
import type { Bundle, BundleEntry, Encounter as FhirEncounter, Patient, Resource } from '@medplum/fhirtypes';
import type { CanonicalEvent, EventOf } from '../canonical/index.js';
import { LoomError } from '../kernel/index.js';
import {
  chargeToFhir, deviceUseToFhirDevice, deviceUseToFhirProcedure, encounterToFhir, fhirIdentifier, locationToFhir, movementToSupplyDelivery, practitionerToFhir, stableUuid, type FhirMappingOptions,
} from '../mappings/index.js';

/** Event types `events-to-fhir` maps; the channel's filter step drops the others before translate. */
export const FHIR_EVENT_TYPES = ['device.implanted', 'charge.captured', 'encounter.discharged', 'supply.consumed'] as const;

const patientId = (mrn: string): string => stableUuid(`Patient|${mrn}`);
const encounterId = (visit: string): string => stableUuid(`Encounter|${visit}`);

/** Options of the feed: how identifier systems are named (the `identifier-systems` crosswalk). */
export interface EventsToFhirOptions extends FhirMappingOptions {}

/** What one event writes: resources PUT as they are, and stubs created only when nothing is stored under their id. */
interface Writes {
  put: Resource[];
  ifAbsent: Resource[];
}

/**
 * References from an event to its patient and encounter, with the stub resources that make them
 * resolve: the feed knows a patient by MRN and an encounter by visit number only, so it creates
 * `Patient` / `Encounter` with just that identifier when none is stored yet (If-None-Match: *), and
 * never overwrites the fuller resource an ADT conversion or a discharge wrote.
 */
function contextOf(mrn: string | undefined, visit: string | undefined, options: EventsToFhirOptions): { refs: { patient?: string; encounter?: string }; stubs: Resource[] } {
  const stubs: Resource[] = [];
  const refs: { patient?: string; encounter?: string } = {};
  if (mrn) {
    const patient: Patient = { resourceType: 'Patient', id: patientId(mrn), identifier: [fhirIdentifier({ value: mrn, type: 'MR' }, options.systemFor)] };
    stubs.push(patient);
    refs.patient = `Patient/${patient.id ?? ''}`;
  }
  if (visit) {
    const encounter: FhirEncounter = {
      resourceType: 'Encounter', id: encounterId(visit), status: 'unknown',
      // class is 1..1 and the feed does not know it: the extensible binding allows a null flavor
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK' },
      identifier: [fhirIdentifier({ value: visit, type: 'VN' }, options.systemFor)],
      ...(refs.patient ? { subject: { reference: refs.patient } } : {}),
    };
    stubs.push(encounter);
    refs.encounter = `Encounter/${encounter.id ?? ''}`;
  }
  return { refs, stubs };
}

/** Device id from the device's own business key (DI + serial, else lot), not the reporting message's id. */
export function deviceId(u: EventOf<'device.implanted'>['data']): string {
  return stableUuid(`Device|${u.di}|${u.serial ?? u.lot ?? u.id}`);
}

function transaction({ put, ifAbsent }: Writes): Bundle {
  const entry: BundleEntry[] = [
    // stubs first: the resources that reference them follow in the same transaction
    ...ifAbsent.map((r): BundleEntry => ({ fullUrl: `urn:uuid:${r.id ?? ''}`, resource: r, request: { method: 'PUT', url: `${r.resourceType}/${r.id ?? ''}`, ifNoneMatch: '*' } })),
    ...put.map((r): BundleEntry => ({ fullUrl: `urn:uuid:${r.id ?? ''}`, resource: r, request: { method: 'PUT', url: `${r.resourceType}/${r.id ?? ''}` } })),
  ];
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

/**
 * One canonical event → a transaction Bundle: its resource(s) (device.implanted: Device + Procedure
 * with focalDevice; encounter.discharged: Encounter + attending Practitioner + Location) and the
 * Patient/Encounter stubs its references need, so every reference resolves in /fhir/R4.
 *
 * @example
 * eventToFhir(chargeEvent).entry?.at(-1)?.resource?.resourceType // 'ChargeItem'
 */
export function eventToFhir(input: unknown, options: EventsToFhirOptions = {}): Bundle {
  const e = input as Partial<CanonicalEvent> | null;
  if (typeof input !== 'object' || e === null || typeof e.type !== 'string' || typeof e.data !== 'object') {
    throw new LoomError('estate.mapping.input', 'events-to-fhir needs a canonical event (JSON with type and data)', { location: 'type', hint: 'route canonical events from the events channel' });
  }
  const ev = input as CanonicalEvent;
  switch (ev.type) {
    case 'device.implanted': {
      const u = ev.data;
      const { refs, stubs } = contextOf(u.patientMrn ?? ev.correlation.patient, u.encounter ?? ev.correlation.encounter, options);
      const device = deviceUseToFhirDevice(u, refs.patient, deviceId(u));
      const procedure = deviceUseToFhirProcedure(u, `Device/${device.id ?? ''}`, refs);
      return transaction({ put: [device, procedure], ifAbsent: stubs });
    }
    case 'charge.captured': {
      const { refs, stubs } = contextOf(ev.data.patientMrn ?? ev.correlation.patient, ev.data.encounter ?? ev.correlation.encounter, options);
      return transaction({ put: [chargeToFhir(ev.data, refs)], ifAbsent: stubs });
    }
    case 'encounter.discharged': {
      const enc = { ...ev.data, status: 'finished' as const, dischargedAt: ev.data.dischargedAt ?? ev.occurredAt };
      const { refs, stubs } = contextOf(enc.patientMrn ?? ev.correlation.patient, undefined, options);
      const practitioner = enc.attending ? practitionerToFhir(enc.attending, options) : undefined;
      const location = enc.location ? locationToFhir(enc.location) : undefined;
      const encounter = encounterToFhir(enc, {
        ...(refs.patient ? { patient: refs.patient } : {}),
        ...(practitioner ? { practitioner: `Practitioner/${practitioner.id ?? ''}` } : {}),
        ...(location ? { location: `Location/${location.id ?? ''}` } : {}),
      }, undefined, options);
      return transaction({ put: [...(practitioner ? [practitioner] : []), ...(location ? [location] : []), encounter], ifAbsent: stubs });
    }
    case 'supply.consumed':
      return transaction({ put: [movementToSupplyDelivery(ev.data)], ifAbsent: [] });
    default:
      throw new LoomError('estate.mapping.event-type', `events-to-fhir has no FHIR mapping for ${ev.type}`, {
        location: 'type', hint: `filter the channel to ${FHIR_EVENT_TYPES.join(', ')}`,
      });
  }
}
