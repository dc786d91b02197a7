import { z } from 'zod';
import { Code, DateTime, Decimal } from './common.js';
import { ChargeEvent, CostPosting } from './finance.js';
import { DeviceUse, Encounter, Procedure } from './clinical.js';
import { InventoryMovement, ItemKey } from './inventory.js';

/**
 * Business keys an event touches; the engine orders (FIFO per key) and searches on them.
 * `patient` is an MRN (PHI: redacted by the logger, indexed as a keyed hash by the store).
 */
export const Correlation = z.object({
  encounter: z.string().optional(),
  patient: z.string().optional(),
  item: z.string().optional(),
  lot: z.string().optional(),
  serial: z.string().optional(),
  po: z.string().optional(),
});
export type Correlation = z.infer<typeof Correlation>;

const base = {
  /** Stable per business fact, so a replayed source message yields the same id (idempotency). */
  id: z.string().min(1),
  occurredAt: DateTime,
  correlation: Correlation,
  /** Schema version of `data`. */
  version: z.literal('v1').default('v1'),
};

function event<T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.object({ ...base, type: z.literal(type), data });
}

export const ProcedureCompleted = event('procedure.completed', Procedure);
export const DeviceImplanted = event('device.implanted', DeviceUse);
export const SupplyConsumed = event('supply.consumed', InventoryMovement);
export const InventoryBelowPar = event('inventory.below-par', z.object({
  location: z.string().min(1), item: ItemKey, onHand: Decimal, par: Decimal, uom: z.string().min(1),
}));
export const ReplenishmentRequested = event('replenishment.requested', z.object({
  location: z.string().min(1), item: ItemKey, quantity: Decimal, uom: z.string().min(1), reason: z.string().optional(),
}));
export const EncounterDischarged = event('encounter.discharged', Encounter);
export const EncounterDischargeCancelled = event('encounter.discharge-cancelled', Encounter);
export const ChargeCaptured = event('charge.captured', ChargeEvent);
export const ChargeReversed = event('charge.reversed', ChargeEvent);
export const CostPosted = event('cost.posted', CostPosting);
/** Patient identity changed (ADT A40 merge, A47 identifier change): old MRN → new MRN. */
export const PatientMerged = event('patient.merged', z.object({
  kind: z.enum(['merge', 'identifier-change']),
  from: z.string().min(1),
  to: z.string().min(1),
  fromSystem: z.string().optional(),
  toSystem: z.string().optional(),
  /** MRG-3 prior account when sent. */
  account: z.string().optional(),
  reason: Code.optional(),
}));

export const CanonicalEvent = z.discriminatedUnion('type', [
  ProcedureCompleted, DeviceImplanted, SupplyConsumed, InventoryBelowPar, ReplenishmentRequested,
  EncounterDischarged, EncounterDischargeCancelled, ChargeCaptured, ChargeReversed, CostPosted, PatientMerged,
]);
export type CanonicalEvent = z.infer<typeof CanonicalEvent>;
export type EventType = CanonicalEvent['type'];
export type EventOf<T extends EventType> = Extract<CanonicalEvent, { type: T }>;

export const eventTypes: readonly EventType[] = [
  'procedure.completed', 'device.implanted', 'supply.consumed', 'inventory.below-par', 'replenishment.requested',
  'encounter.discharged', 'encounter.discharge-cancelled', 'charge.captured', 'charge.reversed', 'cost.posted', 'patient.merged',
];
