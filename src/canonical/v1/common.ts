import { z } from 'zod';

/**
 * Money is a decimal STRING plus an ISO 4217 currency, never a float: HL7 FT1-11/12/22 (CP/MO),
 * X12 CTP/IT1 and ERP APIs all carry decimal text of varying scale (unit costs often have 4
 * places), so a string keeps the source scale exactly and avoids binary rounding. Arithmetic on
 * amounts goes through `addDecimal`/`scaleDecimal` in mappings, which work on scaled bigints.
 */
export const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal number as text, e.g. "12.50"');
export type Decimal = z.infer<typeof Decimal>;

export const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code, e.g. USD');

export const Money = z.object({ amount: Decimal, currency: Currency });
export type Money = z.infer<typeof Money>;

/**
 * ISO 8601 at the precision the source stated (HL7 DTM may stop at minutes or days, and may omit
 * the offset): `2015-02-09T11:34:19+01:10`, `2005-01-25T11:40+01:00`, `2019-11-22`.
 */
export const DateTime = z.string().regex(
  /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/,
  'an ISO 8601 date or date-time, e.g. 2015-02-09T11:34:19+01:10',
);
export type DateTime = z.infer<typeof DateTime>;

export const IsoDate = z.iso.date();

/** A business identifier with the namespace that issued it (HL7 CX-4 assigning authority, FHIR Identifier.system). */
export const Identifier = z.object({
  value: z.string().min(1),
  system: z.string().optional(),
  /** HL7 table 0203 type: MR, VN, AN, SS ... */
  type: z.string().optional(),
  /** CX-4.2 / HD-2 universal id of the assigning authority (an OID, URI or UUID), when sent. */
  universalId: z.string().optional(),
  /** CX-4.3 / HD-3 universal id type (HL7 table 0301: ISO, URI, UUID, DNS ...). */
  universalIdType: z.string().optional(),
});
export type Identifier = z.infer<typeof Identifier>;

/** A code from a code system (CPT, HCPCS, SNOMED, local charge master ...). */
export const Code = z.object({
  code: z.string().min(1),
  system: z.string().optional(),
  display: z.string().optional(),
});
export type Code = z.infer<typeof Code>;

/** Quantity with a unit of measure (UCUM or X12 355 codes such as EA, BX, CS). */
export const Quantity = z.object({ value: Decimal, uom: z.string().min(1).default('EA') });
export type Quantity = z.infer<typeof Quantity>;

/** Reference to another canonical entity by its business key (never by a database id). */
export const Ref = z.object({ id: z.string().min(1), system: z.string().optional() });
export type Ref = z.infer<typeof Ref>;

/** Well-known identifier systems used across mappings. */
export const Systems = {
  gtin: 'https://www.gs1.org/gtin',
  hibcc: 'https://www.hibcc.org/udi',
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  snomed: 'http://snomed.info/sct',
  v2_0203: 'http://terminology.hl7.org/CodeSystem/v2-0203',
} as const;
