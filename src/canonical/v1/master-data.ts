import { z } from 'zod';
import { Code, Decimal, Identifier, IsoDate, Money } from './common.js';

export const Supplier = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  identifiers: z.array(Identifier).default([]),
  /** X12 ISA06/08 interchange id when the supplier trades EDI. */
  ediId: z.string().optional(),
  taxId: z.string().optional(),
  status: z.enum(['active', 'inactive', 'pending-onboarding']).default('active'),
});
export type Supplier = z.infer<typeof Supplier>;

/** A conversion between units of one item, e.g. 1 BX = 10 EA. */
export const UomConversion = z.object({ from: z.string().min(1), to: z.string().min(1), factor: Decimal });

export const ContractPrice = z.object({
  supplierId: z.string().min(1),
  contractId: z.string().optional(),
  price: Money,
  uom: z.string().min(1),
  validFrom: IsoDate.optional(),
  validTo: IsoDate.optional(),
});

export const Item = z.object({
  id: z.string().min(1),
  description: z.string().min(1),
  /** GS1 GTIN-14 (digits only). */
  gtin: z.string().regex(/^\d{14}$/).optional(),
  /** HIBCC device identifier: LIC + product/catalog number + UoM digit. */
  hibccDi: z.string().optional(),
  /** Local item master number (SKU). */
  sku: z.string().optional(),
  baseUom: z.string().min(1).default('EA'),
  uomConversions: z.array(UomConversion).default([]),
  contractPrices: z.array(ContractPrice).default([]),
  /** Charge master code billed when the item is used (HCPCS C-codes for implants, local CDM). */
  chargeCode: Code.optional(),
  implantable: z.boolean().default(false),
  lotControlled: z.boolean().default(false),
  serialControlled: z.boolean().default(false),
});
export type Item = z.infer<typeof Item>;

/** network → facility → department → storeroom → par location; parentId builds the tree. */
export const Location = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(['network', 'facility', 'department', 'storeroom', 'par-location', 'bed', 'room']),
  parentId: z.string().optional(),
  costCenterId: z.string().optional(),
});
export type Location = z.infer<typeof Location>;

export const CostCenter = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  company: z.string().optional(),
  parentId: z.string().optional(),
});
export type CostCenter = z.infer<typeof CostCenter>;

export const Department = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  facilityId: z.string().optional(),
  costCenterId: z.string().optional(),
});
export type Department = z.infer<typeof Department>;

export const GlAccount = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  type: z.enum(['asset', 'liability', 'equity', 'income', 'expense']),
  company: z.string().optional(),
});
export type GlAccount = z.infer<typeof GlAccount>;

/** Dimensions an ERP books a line against beyond the account itself. */
export const FinancialDimensions = z.object({
  costCenter: z.string().optional(),
  department: z.string().optional(),
  project: z.string().optional(),
  facility: z.string().optional(),
});
export type FinancialDimensions = z.infer<typeof FinancialDimensions>;
