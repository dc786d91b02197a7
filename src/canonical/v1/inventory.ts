import { z } from 'zod';
import { DateTime, Decimal, IsoDate } from './common.js';

/** How the inventory platform names an item: at least one of GTIN, HIBCC DI or local SKU. */
export const ItemKey = z.object({
  gtin: z.string().optional(),
  hibccDi: z.string().optional(),
  sku: z.string().optional(),
}).refine((k) => k.gtin !== undefined || k.hibccDi !== undefined || k.sku !== undefined, {
  message: 'an item needs a gtin, hibccDi or sku',
});
export type ItemKey = z.infer<typeof ItemKey>;

export const InventoryBalance = z.object({
  location: z.string().min(1),
  item: ItemKey,
  lot: z.string().optional(),
  serial: z.string().optional(),
  expiry: IsoDate.optional(),
  onHand: Decimal,
  uom: z.string().min(1),
  par: Decimal.optional(),
  reorderPoint: Decimal.optional(),
  asOf: DateTime,
});
export type InventoryBalance = z.infer<typeof InventoryBalance>;

export const MovementKind = z.enum(['consume', 'receive', 'transfer', 'adjust', 'waste', 'return']);
export type MovementKind = z.infer<typeof MovementKind>;

/** One stock change. `quantity` is always positive; `kind` says the direction. */
export const InventoryMovement = z.object({
  id: z.string().min(1),
  kind: MovementKind,
  occurredAt: DateTime,
  location: z.string().min(1),
  /** Destination for transfers. */
  toLocation: z.string().optional(),
  item: ItemKey,
  lot: z.string().optional(),
  serial: z.string().optional(),
  quantity: Decimal,
  uom: z.string().min(1),
  encounter: z.string().optional(),
  patientMrn: z.string().optional(),
  reason: z.string().optional(),
});
export type InventoryMovement = z.infer<typeof InventoryMovement>;
