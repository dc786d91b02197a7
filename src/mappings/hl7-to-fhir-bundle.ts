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
import { chargeToFhir, deviceUseToFhirDevice, deviceUseToFhirProcedure, encounterToFhir, patientToFhir, stableUuid } from './to-fhir.js';

export interface Hl7ToFhirOptions {
  crosswalk?: Crosswalk;
  /** `collection` (default) or `transaction` (entries carry PUT requests keyed by business identifier). */
  bundleType?: 'collection' | 'transaction';
  now?: Date;
}

/** PID → canonical Patient (PID-3 identifiers, PID-5 name, PID-7 birth date, PID-8 sex). */
export function readPatient(msg: Hl7Message): Patient {
  const { mrn, all } = readMrn(msg);
  const birth = isoAt(msg, 'PID-7', 'date of birth');
  const family = opt(msg, 'PID-5.1.1') ?? opt(msg, 'PID-5.1');
  const given = opt(msg, 'PID-5.2');
  const sex = opt(msg, 'PID-8');
  return PatientSchema.parse({
    mrn, identifiers: all,
    ...(family ? { familyName: family } : {}), ...(given ? { givenName: given } : {}),
    ...(birth ? { birthDate: birth.slice(0, 10) } : {}), ...(sex ? { sex } : {}),
  });
}

// ADT triggers whose PV1 describes an encounter, with the status it implies.
const ADT_STATUS: Record<string, Encounter['status']> = {
  A01: 'in-progress', A02: 'in-progress', A03: 'finished', A04: 'in-progress', A05: 'planned', A06: 'in-progress',
  A07: 'in-progress', A08: 'in-progress', A11: 'cancelled', A13: 'in-progress', A38: 'cancelled',
};

/**
 * HL7 v2 ADT (encounter triggers) or DFT^P03/P11 → FHIR R4 Bundle through the canonical model
 * (what `loom convert <file> --to fhir` prints). Resource ids are name-based UUIDs of business keys,
 * so converting the same message twice gives the same bundle.
 *
 * @example
 * const bundle = hl7ToFhirBundle(parseHl7v2(text));
 * bundle.entry?.find((e) => e.resource?.resourceType === 'Encounter')
 */
export function hl7ToFhirBundle(msg: Hl7Message, options: Hl7ToFhirOptions = {}): Bundle {
  const [code, trigger = ''] = msg.type.split('^');
  const isDft = code === 'DFT' && (trigger === 'P03' || trigger === 'P11');
  const adtStatus = code === 'ADT' ? ADT_STATUS[trigger] : undefined;
  if (!isDft && adtStatus === undefined) {
    throw typeUnsupported('MSH-9', msg.type, ['ADT^' + Object.keys(ADT_STATUS).join('/'), 'DFT^P03', 'DFT^P11']);
  }
  const resources: Resource[] = [];
  const patient = readPatient(msg);
  const fhirPatient = patientToFhir(patient);
  const patientRef = `urn:uuid:${fhirPatient.id ?? ''}`;
  resources.push(fhirPatient);
  const encounter = readEncounter(msg, isDft ? 'in-progress' : adtStatus ?? 'unknown');
  const fhirEncounter = encounterToFhir(encounter, patientRef);
  const encounterRef = `urn:uuid:${fhirEncounter.id ?? ''}`;
  resources.push(fhirEncounter);
  const refs = { patient: patientRef, encounter: encounterRef };
  if (isDft) {
    const { charges } = mapDftCharges(msg, { ...(options.crosswalk ? { crosswalk: options.crosswalk } : {}), ...(options.now ? { now: options.now } : {}) });
    for (const c of charges) resources.push(chargeToFhir(c.data, refs));
  }
  // Several devices of one PR1 share one Procedure: its focalDevice lists each of them.
  const procedures = new Map<string, FhirProcedure>();
  for (const use of readHl7DeviceUses(msg, options.now ? { now: options.now } : {})) {
    const device = deviceUseToFhirDevice(use, patientRef);
    resources.push(device);
    const proc = deviceUseToFhirProcedure(use, `urn:uuid:${device.id ?? ''}`, refs);
    const seen = procedures.get(proc.id ?? '');
    if (seen) seen.focalDevice = [...(seen.focalDevice ?? []), ...(proc.focalDevice ?? [])];
    else procedures.set(proc.id ?? '', proc);
  }
  resources.push(...procedures.values());
  const type = options.bundleType ?? 'collection';
  const timestamp = normalizeInstant(isoAt(msg, 'MSH-7', 'message time') ?? '');
  const entry: BundleEntry[] = resources.map((r) => ({
    fullUrl: `urn:uuid:${r.id ?? ''}`,
    resource: r,
    ...(type === 'transaction' ? { request: { method: 'PUT' as const, url: `${r.resourceType}/${r.id ?? ''}` } } : {}),
  }));
  return {
    resourceType: 'Bundle',
    id: stableUuid(`Bundle|${msg.controlId}|${msg.type}|${encounter.visitNumber.value}`),
    type,
    ...(timestamp ? { timestamp } : {}),
    entry,
  };
}

/** Bundle.timestamp is an instant: seconds and offset required. */
function normalizeInstant(iso: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  return m ? `${m[1]}${m[2] ?? ':00'}${m[3]}` : undefined;
}
