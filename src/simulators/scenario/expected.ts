import { CATALOG, findItem, LOCATIONS } from '../catalog.js';
import { chargeLines } from '../ehr/messages.js';
import type { InjectedKind } from '../sim-log.js';
import type { SimCase, TimelineStep } from './types.js';

/**
 * What a correct integration must produce from the generated day, computed from the generated
 * events alone (never from what Loom did). Money in cents to stay exact.
 */
export interface ExpectedTotals {
  /** One per implanted device (distinct serial). */
  implants: { sku: string; gtin: string; lot: string; serial: string; udi: string; form: 'GS1' | 'HIBCC'; encounter: string }[];
  /** Patient charges: one per FT1 line (DFT^P03), with amount. */
  charges: { count: number; totalCents: number; byEncounter: Record<string, number> };
  /**
   * Cost at contract price. `count`/`byCostCenter`: one posting per distinct, valid consumption event
   * (known item). `perChargeLine`: one per FT1 line at FT1-22 unit cost (how Loom's
   * costPostingFromCharge posts). The two totals are equal on every day.
   */
  costPostings: { count: number; totalCents: number; byCostCenter: Record<string, number>; perChargeLine: { count: number; totalCents: number } };
  /** Consumption per SKU over valid distinct events. */
  consumptionBySku: Record<string, number>;
  /** Stock at each location at day end: initial − consumed + replenished. */
  stock: Record<string, Record<string, number>>;
  /** Replenishment: purchase orders, lines and quantity per SKU. */
  replenishment: { purchaseOrders: number; lines: number; quantityBySku: Record<string, number> };
  /** Encounters discharged at day end (A13 cancellations followed by a new A03 count once). */
  discharges: number;
  dischargeCancellations: number;
  /** HL7 messages by MSH-9 (injected malformed ones excluded). */
  messagesByType: Record<string, number>;
  /** Exceptions a correct integration must surface (rejected, dead-lettered or flagged), by kind. */
  exceptions: Record<InjectedKind, number>;
}

const cents = (n: number) => Math.round(n * 100);

export function computeExpected(cases: readonly SimCase[], timeline: readonly TimelineStep[]): ExpectedTotals {
  const implants = cases.flatMap((c) => c.implants.map((i) => ({ sku: i.sku, gtin: i.gtin, lot: i.lot, serial: i.serial, udi: i.udi, form: i.form, encounter: c.visitNumber })));
  const charges = { count: 0, totalCents: 0, byEncounter: {} as Record<string, number> };
  const perChargeLine = { count: 0, totalCents: 0 };
  for (const c of cases) {
    for (const l of chargeLines(c)) {
      perChargeLine.count++;
      perChargeLine.totalCents += cents(l.quantity * l.unitCost);
      charges.count++;
      charges.totalCents += cents(l.quantity * l.unitPrice);
      charges.byEncounter[c.visitNumber] = (charges.byEncounter[c.visitNumber] ?? 0) + cents(l.quantity * l.unitPrice);
    }
  }
  const stock: Record<string, Record<string, number>> = {};
  for (const loc of LOCATIONS) stock[loc] = Object.fromEntries(CATALOG.map((i) => [i.sku, i.initialStock]));
  const seen = new Set<string>();
  const costPostings = { count: 0, totalCents: 0, byCostCenter: {} as Record<string, number>, perChargeLine };
  const consumptionBySku: Record<string, number> = {};
  const replenishment = { purchaseOrders: 0, lines: 0, quantityBySku: {} as Record<string, number> };
  const pos = new Set<string>();
  const messagesByType: Record<string, number> = {};
  const exceptions: Record<InjectedKind, number> = { 'malformed-hl7': 0, 'unknown-gtin': 0, 'price-off-contract': 0, 'duplicate-event': 0, 'late-event': 0 };
  for (const s of timeline) {
    if (s.injected) exceptions[s.injected]++;
    if (s.kind === 'hl7') {
      if (!s.injected) messagesByType[s.messageType] = (messagesByType[s.messageType] ?? 0) + 1;
    } else if (s.kind === 'consumption') {
      const item = findItem(s.event.item);
      if (!item || seen.has(s.event.eventId)) continue;
      seen.add(s.event.eventId);
      costPostings.count++;
      costPostings.totalCents += cents(item.contractPrice * s.event.quantity);
      costPostings.byCostCenter[item.costCenter] = (costPostings.byCostCenter[item.costCenter] ?? 0) + cents(item.contractPrice * s.event.quantity);
      consumptionBySku[item.sku] = (consumptionBySku[item.sku] ?? 0) + s.event.quantity;
      stock[s.event.location][item.sku] -= s.event.quantity;
    } else {
      pos.add(s.poNumber);
      replenishment.lines++;
      replenishment.quantityBySku[s.sku] = (replenishment.quantityBySku[s.sku] ?? 0) + s.quantity;
      stock[s.location][s.sku] += s.quantity;
    }
  }
  replenishment.purchaseOrders = pos.size;
  return {
    implants, charges, costPostings, consumptionBySku, stock, replenishment,
    discharges: cases.length,
    dischargeCancellations: cases.filter((c) => c.dischargeCancelled).length,
    messagesByType, exceptions,
  };
}
