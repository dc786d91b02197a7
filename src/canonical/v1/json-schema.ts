import { z } from 'zod';
import * as clinical from './clinical.js';
import * as master from './master-data.js';
import * as procurement from './procurement.js';
import * as inventory from './inventory.js';
import * as finance from './finance.js';
import { CanonicalEvent } from './events.js';

/** Every top-level canonical schema of v1 by entity name. */
export const canonicalSchemas = {
  Supplier: master.Supplier, Item: master.Item, Location: master.Location, CostCenter: master.CostCenter,
  Department: master.Department, GlAccount: master.GlAccount, FinancialDimensions: master.FinancialDimensions,
  Patient: clinical.Patient, Encounter: clinical.Encounter, Procedure: clinical.Procedure, DeviceUse: clinical.DeviceUse,
  PurchaseOrder: procurement.PurchaseOrder, PoAcknowledgement: procurement.PoAcknowledgement,
  AdvanceShipNotice: procurement.AdvanceShipNotice, GoodsReceipt: procurement.GoodsReceipt,
  Invoice: procurement.Invoice, Remittance: procurement.Remittance,
  InventoryBalance: inventory.InventoryBalance, InventoryMovement: inventory.InventoryMovement,
  ChargeEvent: finance.ChargeEvent, CostPosting: finance.CostPosting,
  Event: CanonicalEvent,
} as const;
export type CanonicalEntityName = keyof typeof canonicalSchemas;

/**
 * JSON Schema (draft 2020-12) of one canonical entity, generated from its zod schema, so data
 * contracts and OpenAPI never drift from the code.
 *
 * @example
 * const schema = canonicalJsonSchema('ChargeEvent'); // { type: 'object', properties: {...} }
 */
export function canonicalJsonSchema(name: CanonicalEntityName): Record<string, unknown> {
  // io: 'input' so fields with defaults are optional in the contract, as producers see them.
  const schema = z.toJSONSchema(canonicalSchemas[name], { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $id: `https://loom.dev/schemas/canonical/v1/${name}.json`, title: name, ...schema };
}

/** All canonical JSON Schemas keyed by entity name. */
export function allCanonicalJsonSchemas(): Record<CanonicalEntityName, Record<string, unknown>> {
  const out = {} as Record<CanonicalEntityName, Record<string, unknown>>;
  for (const name of Object.keys(canonicalSchemas) as CanonicalEntityName[]) out[name] = canonicalJsonSchema(name);
  return out;
}
