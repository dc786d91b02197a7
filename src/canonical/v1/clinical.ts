import { z } from 'zod';
import { Code, DateTime, Identifier, IsoDate } from './common.js';

/** Minimal patient: only what correlation and charging need. Fields listed in `phiFields.Patient`. */
export const Patient = z.object({
  /** PID-3 with type MR (first repetition when none is typed). */
  mrn: Identifier,
  identifiers: z.array(Identifier).default([]),
  familyName: z.string().optional(),
  givenName: z.string().optional(),
  birthDate: IsoDate.optional(),
  sex: z.string().optional(),
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
