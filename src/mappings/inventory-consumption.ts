import { z } from 'zod';
import type { EventOf, InventoryMovement } from '../canonical/index.js';
import { DateTime, ItemKey } from '../canonical/index.js';
import { LoomError } from '../kernel/errors.js';
import { normalizeDecimal } from './decimal.js';

/**
 * The inventory platform's consumption message (JSON), as Loom accepts it:
 * `{ eventId, occurredAt, location, item: { gtin | hibccDi | sku }, lot?, serial?, quantity, uom,
 *    encounter?, patientMrn? }`. Quantity is a number or decimal text; negative means a return.
 */
export const InventoryConsumptionInput = z.object({
  eventId: z.string().min(1),
  occurredAt: DateTime,
  location: z.string().min(1),
  item: ItemKey,
  lot: z.string().min(1).optional(),
  serial: z.string().min(1).optional(),
  quantity: z.union([z.number().int(), z.string().min(1)]),
  uom: z.string().min(1),
  encounter: z.string().min(1).optional(),
  patientMrn: z.string().min(1).optional(),
});
export type InventoryConsumptionInput = z.input<typeof InventoryConsumptionInput>;

/**
 * Inventory consumption JSON → InventoryMovement (`consume`, or `return` for negative quantity)
 * wrapped as `supply.consumed`. Invalid input raises `mapping.field.missing` / `mapping.field.invalid`
 * at the JSON path (`item`, `quantity`).
 *
 * @example
 * mapInventoryConsumption({ eventId: 'e1', occurredAt: '2025-03-01T10:00:00Z', location: 'OR-3',
 *   item: { gtin: '00884423456787' }, quantity: 1, uom: 'EA', encounter: 'V123' })
 */
export function mapInventoryConsumption(input: unknown): EventOf<'supply.consumed'> {
  const parsed = InventoryConsumptionInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const location = issue?.path.join('.') || '$';
    const absent = issue?.code === 'invalid_type' && /received undefined/.test(issue.message);
    throw new LoomError(absent ? 'mapping.field.missing' : 'mapping.field.invalid', `consumption ${location}: ${issue?.message ?? 'invalid'}`, {
      location, hint: 'shape: { eventId, occurredAt, location, item: { gtin | hibccDi | sku }, quantity, uom, lot?, serial?, encounter?, patientMrn? }',
    });
  }
  const c = parsed.data;
  const qty = normalizeDecimal(String(c.quantity));
  if (qty === undefined || /^-?0+(\.0+)?$/.test(qty)) {
    throw new LoomError('mapping.field.invalid', `consumption quantity "${String(c.quantity)}" is not a non-zero number`, { location: 'quantity', hint: 'send e.g. 1 (use a negative number for a return to stock)' });
  }
  const isReturn = qty.startsWith('-');
  const movement: InventoryMovement = {
    id: c.eventId,
    kind: isReturn ? 'return' : 'consume',
    occurredAt: c.occurredAt,
    location: c.location,
    item: c.item,
    ...(c.lot ? { lot: c.lot } : {}),
    ...(c.serial ? { serial: c.serial } : {}),
    quantity: isReturn ? qty.slice(1) : qty,
    uom: c.uom,
    ...(c.encounter ? { encounter: c.encounter } : {}),
    ...(c.patientMrn ? { patientMrn: c.patientMrn } : {}),
  };
  return {
    id: `supply.consumed/${c.eventId}`,
    type: 'supply.consumed',
    occurredAt: c.occurredAt,
    correlation: {
      ...(c.encounter ? { encounter: c.encounter } : {}),
      ...(c.patientMrn ? { patient: c.patientMrn } : {}),
      item: c.item.gtin ?? c.item.hibccDi ?? c.item.sku,
      ...(c.lot ? { lot: c.lot } : {}),
      ...(c.serial ? { serial: c.serial } : {}),
    },
    version: 'v1',
    data: movement,
  };
}
