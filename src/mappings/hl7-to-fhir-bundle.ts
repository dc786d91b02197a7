import type { Bundle, BundleEntry, Procedure as FhirProcedure, Resource } from '@medplum/fhirtypes';
import type { Hl7Message } from '../codecs/hl7v2/index.js';
import type { Encounter, Patient } from '../canonical/index.js';
import { Patient as PatientSchema } from '../canonical/index.js';
import type { Crosswalk } from './crosswalk.js';
import { typeUnsupported } from './errors.js';
import { readEncounter } from './hl7-adt-discharge.js';
import { mapDftCharges } from './hl7-dft-charges.js';
import { readHl7DeviceUses } from './hl7-device-use.js';
import { isoAt, opt, readMrn } from './hl7-read.js';
import { readXad, readXpn, readXtn, repetitions } from './hl7-read-person.js';
import { mapLabResults, mapOrders, normalizeInstant } from './hl7-lab-to-fhir.js';
import { identifierSystems } from './identifier-systems.js';
import { encounterToFhir, locationToFhir, patientToFhir, practitionerToFhir } from './to-fhir-person.js';
import { chargeToFhir, deviceUseToFhirDevice, deviceUseToFhirProcedure, stableUuid } from './to-fhir.js';

export interface Hl7ToFhirOptions {
  /** Charge crosswalk for DFT messages. */
  crosswalk?: Crosswalk;
  /** The `identifier-systems` crosswalk: assigning authority (CX-4) → Identifier.system URI. */
  identifierSystems?: Crosswalk;
  /** `collection` (default) or `transaction` (entries carry PUT requests keyed by business identifier). */
  bundleType?: 'collection' | 'transaction';
  now?: Date;
}

/**
 * PID → canonical Patient: PID-3 identifiers, every PID-5 name (given, middle, prefix, suffix),
 * PID-7 birth date, PID-8 sex, PID-11 addresses, PID-13 home and PID-14 business phones.
 */
export function readPatient(msg: Hl7Message): Patient {
  const { mrn, all } = readMrn(msg);
  const birth = isoAt(msg, 'PID-7', 'date of birth');
  const names = repetitions(msg, 'PID-5').map((at) => readXpn(msg, at)).filter((n) => n !== undefined);
  const addresses = repetitions(msg, 'PID-11').map((at) => readXad(msg, at)).filter((a) => a !== undefined);
  // PID-13 home, PID-14 business: without XTN-2 their use is implied by the field (IG: PRN, WPN).
  const telecoms = [
    ...repetitions(msg, 'PID-13').map((at) => readXtn(msg, at, 'PRN')),
    ...repetitions(msg, 'PID-14').map((at) => readXtn(msg, at, 'WPN')),
  ].filter((t) => t !== undefined);
  const family = names[0]?.family;
  const given = names[0]?.given[0];
  const sex = opt(msg, 'PID-8.1') ?? opt(msg, 'PID-8');
  return PatientSchema.parse({
    mrn, identifiers: all,
    ...(family ? { familyName: family } : {}), ...(given ? { givenName: given } : {}),
    ...(birth ? { birthDate: birth.slice(0, 10) } : {}), ...(sex ? { sex } : {}),
    ...(names.length > 0 ? { names } : {}), ...(addresses.length > 0 ? { addresses } : {}), ...(telecoms.length > 0 ? { telecoms } : {}),
  });
}

// ADT triggers whose PV1 describes an encounter, with the status it implies.
const ADT_STATUS: Record<string, Encounter['status']> = {
  A01: 'in-progress', A02: 'in-progress', A03: 'finished', A04: 'in-progress', A05: 'planned', A06: 'in-progress',
  A07: 'in-progress', A08: 'in-progress', A11: 'cancelled', A13: 'in-progress', A38: 'cancelled',
};
const LAB_TYPES = ['ORU^R01', 'ORM^O01', 'OML^O21'];

/**
 * HL7 v2 ADT (encounter triggers), DFT^P03/P11, ORU^R01, ORM^O01 or OML^O21 → FHIR R4 Bundle
 * (what `loom convert <file> --to fhir` prints). Patient, Encounter, Practitioner and Location go
 * through the canonical model; lab results and orders map segment by segment (hl7-lab-to-fhir.ts).
 * Resource ids are name-based UUIDs of business keys, so converting the same message twice gives
 * the same bundle; every reference points at an entry of the bundle.
 *
 * @example
 * const bundle = hl7ToFhirBundle(parseHl7v2(text));
 * bundle.entry?.find((e) => e.resource?.resourceType === 'Encounter')
 */
export function hl7ToFhirBundle(msg: Hl7Message, options: Hl7ToFhirOptions = {}): Bundle {
  const [code, trigger = ''] = msg.type.split('^');
  const isDft = code === 'DFT' && (trigger === 'P03' || trigger === 'P11');
  const isLab = LAB_TYPES.includes(`${code ?? ''}^${trigger}`);
  const adtStatus = code === 'ADT' ? ADT_STATUS[trigger] : undefined;
  if (!isDft && !isLab && adtStatus === undefined) {
    throw typeUnsupported('MSH-9', msg.type, ['ADT^' + Object.keys(ADT_STATUS).join('/'), 'DFT^P03', 'DFT^P11', ...LAB_TYPES]);
  }
  const mapping = { systemFor: identifierSystems(options.identifierSystems) };
  const refOf = (r: Resource): string => `urn:uuid:${r.id ?? ''}`;
  const resources: Resource[] = [];
  const patient = readPatient(msg);
  const fhirPatient = patientToFhir(patient, undefined, mapping);
  const patientRef = refOf(fhirPatient);
  resources.push(fhirPatient);
  // Orders and results need no visit: their Encounter is written only when PV1-19 names one.
  const encounter = isLab && opt(msg, 'PV1-19.1') === undefined ? undefined : readEncounter(msg, isDft || isLab ? 'in-progress' : adtStatus ?? 'unknown');
  let encounterRef: string | undefined;
  if (encounter) {
    const practitioner = encounter.attending ? practitionerToFhir(encounter.attending, mapping) : undefined;
    const location = encounter.location ? locationToFhir(encounter.location) : undefined;
    const fhirEncounter = encounterToFhir(encounter, {
      patient: patientRef, ...(practitioner ? { practitioner: refOf(practitioner) } : {}), ...(location ? { location: refOf(location) } : {}),
    }, undefined, mapping);
    encounterRef = refOf(fhirEncounter);
    resources.push(fhirEncounter, ...(practitioner ? [practitioner] : []), ...(location ? [location] : []));
  }
  const refs = { patient: patientRef, ...(encounterRef ? { encounter: encounterRef } : {}) };
  if (isLab) {
    const lab = code === 'ORU' ? mapLabResults(msg, refs, refOf, mapping) : mapOrders(msg, refs, refOf, mapping);
    // An ORC-12 requester who is also the PV1-7 attending is one Practitioner.
    for (const r of lab) if (!resources.some((x) => x.resourceType === r.resourceType && x.id === r.id)) resources.push(r);
  }
  if (isDft) {
    const { charges } = mapDftCharges(msg, { ...(options.crosswalk ? { crosswalk: options.crosswalk } : {}), ...(options.now ? { now: options.now } : {}) });
    for (const c of charges) resources.push(chargeToFhir(c.data, refs));
  }
  // Several devices of one PR1 share one Procedure: its focalDevice lists each of them.
  const procedures = new Map<string, FhirProcedure>();
  for (const use of isLab ? [] : readHl7DeviceUses(msg, options.now ? { now: options.now } : {})) {
    const device = deviceUseToFhirDevice(use, patientRef);
    resources.push(device);
    const proc = deviceUseToFhirProcedure(use, refOf(device), refs);
    const seen = procedures.get(proc.id ?? '');
    if (seen) seen.focalDevice = [...(seen.focalDevice ?? []), ...(proc.focalDevice ?? [])];
    else procedures.set(proc.id ?? '', proc);
  }
  resources.push(...procedures.values());
  const type = options.bundleType ?? 'collection';
  const timestamp = normalizeInstant(isoAt(msg, 'MSH-7', 'message time') ?? '');
  const entry: BundleEntry[] = resources.map((r) => ({
    fullUrl: refOf(r),
    resource: r,
    ...(type === 'transaction' ? { request: { method: 'PUT' as const, url: `${r.resourceType}/${r.id ?? ''}` } } : {}),
  }));
  return {
    resourceType: 'Bundle',
    id: stableUuid(`Bundle|${msg.controlId}|${msg.type}|${encounter?.visitNumber.value ?? patient.mrn.value}`),
    type,
    ...(timestamp ? { timestamp } : {}),
    entry,
  };
}
