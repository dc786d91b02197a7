import { z } from 'zod';
import { Code, DateTime, Identifier, IsoDate } from './common.js';

/** A person's name (HL7 XPN): family, given names in order (first, then middle), prefix, suffix, XPN-7 type. */
export const PersonName = z.object({
  family: z.string().optional(),
  given: z.array(z.string()).default([]),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
  /** HL7 table 0200 name type: L legal, D display, M maiden, A alias ... */
  use: z.string().optional(),
});
export type PersonName = z.infer<typeof PersonName>;

/** A postal address (HL7 XAD): street lines, city, state, postal code, country, XAD-7 type. */
export const PostalAddress = z.object({
  lines: z.array(z.string()).default([]),
  city: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().optional(),
  /** HL7 table 0190 address type: H home, B business, M mailing, C current ... */
  use: z.string().optional(),
});
export type PostalAddress = z.infer<typeof PostalAddress>;

/** A phone number or e-mail address (HL7 XTN). */
export const Telecom = z.object({
  value: z.string().min(1),
  /** HL7 table 0201 use code (PRN primary residence, WPN work, ORN other ...); PID-14 numbers are WPN. */
  use: z.string().optional(),
  /** HL7 table 0202 equipment type (PH, CP cellular, FX fax, Internet ...). */
  equipment: z.string().optional(),
});
export type Telecom = z.infer<typeof Telecom>;

/** A clinician named in a message (HL7 XCN, e.g. PV1-7 attending doctor, OBR-16 ordering provider). */
export const Practitioner = z.object({
  id: Identifier,
  name: PersonName.optional(),
});
export type Practitioner = z.infer<typeof Practitioner>;

/** Minimal patient: only what correlation and charging need. Fields listed in `phiFields.Patient`. */
export const Patient = z.object({
  /** PID-3 with type MR (first repetition when none is typed). */
  mrn: Identifier,
  identifiers: z.array(Identifier).default([]),
  familyName: z.string().optional(),
  givenName: z.string().optional(),
  birthDate: IsoDate.optional(),
  /** PID-8 administrative sex (HL7 table 0001: F, M, O, U, A, N). */
  sex: z.string().optional(),
  /** Every PID-5 repetition; `familyName`/`givenName` repeat the first one's family and first given name. */
  names: z.array(PersonName).optional(),
  /** PID-11 addresses. */
  addresses: z.array(PostalAddress).optional(),
  /** PID-13 home and PID-14 business phone numbers. */
  telecoms: z.array(Telecom).optional(),
});
export type Patient = z.infer<typeof Patient>;

export const Encounter = z.object({
  /** PV1-19 visit number: the encounter's business key. */
  visitNumber: Identifier,
  patientMrn: z.string().optional(),
  /** PV1-2 patient class (I, O, E ...). */
  class: z.string().optional(),
  status: z.enum(['planned', 'in-progress', 'finished', 'cancelled', 'unknown']),
  /** PV1-3 assigned location as `pointOfCare^room^bed^facility` text parts. */
  location: z.object({ pointOfCare: z.string().optional(), room: z.string().optional(), bed: z.string().optional(), facility: z.string().optional() }).optional(),
  /** PV1-44 admit and PV1-45 discharge. */
  admittedAt: DateTime.optional(),
  dischargedAt: DateTime.optional(),
  /** PV1-36 discharge disposition. */
  disposition: Code.optional(),
  /** PV1-7 attending doctor (first repetition). */
  attending: Practitioner.optional(),
});
export type Encounter = z.infer<typeof Encounter>;

export const Procedure = z.object({
  id: z.string().min(1),
  code: Code,
  performedAt: DateTime.optional(),
  encounter: z.string().optional(),
  patientMrn: z.string().optional(),
  status: z.enum(['completed', 'in-progress', 'unknown']).default('completed'),
});
export type Procedure = z.infer<typeof Procedure>;

/** One device used on (usually implanted in) a patient, as documented with its UDI. */
export const DeviceUse = z.object({
  id: z.string().min(1),
  /** The full UDI carrier string as scanned (GS1 element string or HIBCC), when known. */
  udi: z.string().optional(),
  issuer: z.enum(['GS1', 'HIBCC', 'ICCBBA', 'unknown']),
  /** Device identifier (GTIN for GS1, LIC+PCN+U for HIBCC). */
  di: z.string().min(1),
  gtin: z.string().optional(),
  lot: z.string().optional(),
  serial: z.string().optional(),
  expiry: IsoDate.optional(),
  usedAt: DateTime.optional(),
  action: z.enum(['implanted', 'explanted', 'used']).default('implanted'),
  procedure: z.string().optional(),
  procedureCode: Code.optional(),
  encounter: z.string().optional(),
  patientMrn: z.string().optional(),
});
export type DeviceUse = z.infer<typeof DeviceUse>;
