// Canonical Patient, Encounter, Practitioner and location → FHIR R4, following the V2-to-FHIR IG's
// PID[Patient], PV1[Encounter], XCN[Practitioner] and PL[Location] maps (deviations: docs/fhir-mapping.md).
import type {
  Address, ContactPoint, Encounter as FhirEncounter, HumanName, Identifier as FhirIdentifier, Location, Patient as FhirPatient, Practitioner as FhirPractitioner,
} from '@medplum/fhirtypes';
import type { Encounter, Identifier, Patient, PersonName, PostalAddress, Practitioner, Telecom } from '../canonical/index.js';
import { Systems } from '../canonical/index.js';
import { defaultIdentifierSystem, type IdentifierSystemResolver } from './identifier-systems.js';
import { stableUuid } from './to-fhir.js';

/** FHIR dateTime with a time needs seconds: `2021-10-20T12:00+02:15` → `2021-10-20T12:00:00+02:15`. */
export function fhirDateTime(iso: string): string {
  return iso.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})?$/, (_m, hm: string, tz: string | undefined) => `${hm}:00${tz ?? ''}`);
}

/** How the mappings name identifier systems: `identifierSystems(crosswalk)`, default `defaultIdentifierSystem`. */
export interface FhirMappingOptions {
  systemFor?: IdentifierSystemResolver;
}

/** Canonical identifier → FHIR Identifier with its system resolved and its v2 table 0203 type. */
export function fhirIdentifier(id: Identifier, systemFor: IdentifierSystemResolver = defaultIdentifierSystem): FhirIdentifier {
  const system = systemFor(id);
  return {
    value: id.value,
    ...(system ? { system } : {}),
    ...(id.type ? { type: { coding: [{ system: Systems.v2_0203, code: id.type }] } } : {}),
  };
}

// HL7 table 0200 name type → HumanName.use (IG ConceptMap NameType); other types carry no use.
const NAME_USE: Record<string, HumanName['use']> = { L: 'official', D: 'usual', M: 'maiden', N: 'nickname', A: 'anonymous', C: 'old', B: 'old' };
// HL7 table 0001 administrative sex → Patient.gender (IG ConceptMap AdministrativeSex).
const GENDER: Record<string, FhirPatient['gender']> = { M: 'male', F: 'female', O: 'other', A: 'other', U: 'unknown', N: 'unknown' };
// HL7 table 0190 address type → Address.use / Address.type.
const ADDRESS_USE: Record<string, Address['use']> = { H: 'home', B: 'work', O: 'work', C: 'temp', BA: 'old' };
// HL7 table 0201 telecom use and 0202 equipment → ContactPoint.use / ContactPoint.system.
const TELECOM_USE: Record<string, ContactPoint['use']> = { PRN: 'home', VHN: 'home', WPN: 'work', ORN: 'temp', EMR: 'temp' };
const TELECOM_SYSTEM: Record<string, ContactPoint['system']> = { PH: 'phone', CP: 'phone', BP: 'pager', FX: 'fax', Internet: 'email', 'X.400': 'email', TDD: 'other', TTY: 'other', MD: 'other' };

export function humanName(n: PersonName): HumanName {
  const use = n.use ? NAME_USE[n.use] : undefined;
  return {
    ...(n.family ? { family: n.family } : {}),
    ...(n.given.length > 0 ? { given: n.given } : {}),
    ...(n.prefix ? { prefix: [n.prefix] } : {}),
    ...(n.suffix ? { suffix: [n.suffix] } : {}),
    ...(use ? { use } : {}),
  };
}

function address(a: PostalAddress): Address {
  const use = a.use ? ADDRESS_USE[a.use] : undefined;
  return {
    ...(a.lines.length > 0 ? { line: a.lines } : {}),
    ...(a.city ? { city: a.city } : {}), ...(a.state ? { state: a.state } : {}),
    ...(a.postalCode ? { postalCode: a.postalCode } : {}), ...(a.country ? { country: a.country } : {}),
    ...(use ? { use } : {}), ...(a.use === 'M' ? { type: 'postal' as const } : {}),
  };
}

function contactPoint(t: Telecom): ContactPoint {
  // cpt-2: a ContactPoint with a value needs a system; an XTN without XTN-3 is a phone number.
  const system = (t.equipment ? TELECOM_SYSTEM[t.equipment] : undefined) ?? (t.value.includes('@') ? 'email' : 'phone');
  const use = t.equipment === 'CP' ? 'mobile' : t.use ? TELECOM_USE[t.use] : undefined;
  return { system, value: t.value, ...(use ? { use } : {}) };
}

/** Canonical Patient → FHIR Patient (identifiers, every name, gender, birth date, addresses, phones). */
export function patientToFhir(p: Patient, id = stableUuid(`Patient|${p.mrn.value}`), options: FhirMappingOptions = {}): FhirPatient {
  const ids = p.identifiers.length > 0 ? p.identifiers : [p.mrn];
  const names = p.names ?? (p.familyName || p.givenName ? [{ ...(p.familyName ? { family: p.familyName } : {}), given: p.givenName ? [p.givenName] : [] }] : []);
  const gender = p.sex ? GENDER[p.sex.toUpperCase()] : undefined;
  return {
    resourceType: 'Patient', id,
    identifier: ids.map((i) => fhirIdentifier(i, options.systemFor)),
    ...(names.length > 0 ? { name: names.map(humanName) } : {}),
    ...(gender ? { gender } : {}),
    ...(p.birthDate ? { birthDate: p.birthDate } : {}),
    ...(p.addresses && p.addresses.length > 0 ? { address: p.addresses.map(address) } : {}),
    ...(p.telecoms && p.telecoms.length > 0 ? { telecom: p.telecoms.map(contactPoint) } : {}),
  };
}

/** The stable id of a practitioner: its identifier's authority and value. */
export function practitionerId(p: Practitioner): string {
  return stableUuid(`Practitioner|${p.id.system ?? p.id.universalId ?? ''}|${p.id.value}`);
}

/** Canonical Practitioner (an XCN) → FHIR Practitioner. */
export function practitionerToFhir(p: Practitioner, options: FhirMappingOptions = {}): FhirPractitioner {
  return {
    resourceType: 'Practitioner', id: practitionerId(p),
    identifier: [fhirIdentifier(p.id, options.systemFor)],
    ...(p.name ? { name: [humanName(p.name)] } : {}),
  };
}

type EncounterLocation = NonNullable<Encounter['location']>;

/** The stable id of a PV1-3 location: its facility, point of care, room and bed. */
export function locationId(l: EncounterLocation): string {
  return stableUuid(`Location|${l.facility ?? ''}|${l.pointOfCare ?? ''}|${l.room ?? ''}|${l.bed ?? ''}`);
}

/**
 * PV1-3 assigned location (PL) → one FHIR Location at its most specific level (bed, else room, else
 * point of care), named by every part, e.g. "4W 412 B". The IG builds a partOf chain instead.
 */
export function locationToFhir(l: EncounterLocation): Location {
  const level = l.bed ? 'bd' : l.room ? 'ro' : 'wa';
  const name = [l.pointOfCare, l.room, l.bed].filter(Boolean).join(' ') || l.facility || 'unnamed location';
  return {
    resourceType: 'Location', id: locationId(l), status: 'active', mode: 'instance', name,
    ...(l.facility ? { description: `${name} at ${l.facility}` } : {}),
    physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: level }] },
  };
}

const ENCOUNTER_CLASS: Record<string, string> = { I: 'IMP', O: 'AMB', E: 'EMER', P: 'PRENC', R: 'IMP', B: 'IMP' };

export interface EncounterRefs {
  patient?: string;
  /** Reference to the attending's Practitioner (PV1-7); without it no participant is written. */
  practitioner?: string;
  /** Reference to the PV1-3 Location; without it the location is a display text only. */
  location?: string;
}

/**
 * Canonical Encounter → FHIR Encounter (identifier = visit number, period from admit/discharge,
 * hospitalization.dischargeDisposition from PV1-36, attending participant, location).
 *
 * @example
 * encounterToFhir(enc, { patient: 'Patient/abc' }).period?.end // enc.dischargedAt
 */
export function encounterToFhir(e: Encounter, refs: EncounterRefs | string = {}, id = stableUuid(`Encounter|${e.visitNumber.value}`), options: FhirMappingOptions = {}): FhirEncounter {
  const r: EncounterRefs = typeof refs === 'string' ? { patient: refs } : refs;
  const cls = e.class ? ENCOUNTER_CLASS[e.class] : undefined;
  const locationDisplay = e.location ? [e.location.pointOfCare, e.location.room, e.location.bed].filter(Boolean).join(' ') : '';
  return {
    resourceType: 'Encounter', id,
    identifier: [fhirIdentifier(e.visitNumber, options.systemFor)],
    status: e.status === 'cancelled' ? 'cancelled' : e.status,
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: cls ?? 'IMP' },
    ...(r.patient ? { subject: { reference: r.patient } } : {}),
    ...(r.practitioner ? { participant: [{ type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND', display: 'attender' }] }], individual: { reference: r.practitioner } }] } : {}),
    ...(e.admittedAt || e.dischargedAt ? { period: { ...(e.admittedAt ? { start: fhirDateTime(e.admittedAt) } : {}), ...(e.dischargedAt ? { end: fhirDateTime(e.dischargedAt) } : {}) } } : {}),
    ...(e.disposition ? { hospitalization: { dischargeDisposition: { coding: [{ code: e.disposition.code, ...(e.disposition.display ? { display: e.disposition.display } : {}), ...(e.disposition.system ? { system: e.disposition.system } : {}) }] } } } : {}),
    ...(r.location ? { location: [{ location: { reference: r.location, ...(locationDisplay ? { display: locationDisplay } : {}) } }] }
      : locationDisplay ? { location: [{ location: { display: locationDisplay } }] } : {}),
  };
}
