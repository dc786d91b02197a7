import { createHash } from 'node:crypto';
import type { PurchaseOrder } from '../../canonical/index.js';
import { addDecimal, compareDecimal, negateDecimal, purchaseOrderTo850 } from '../../mappings/index.js';
import { findCatalogItem, type ProcessCatalog, type ProcessCatalogItem } from '../catalog.js';
import { defineProcess, type ProcessDefinition, type ProcessEvent } from '../kernel/index.js';

export const ITEM_STOCK = 'item-stock';

/** Stock of one item at one point-of-use location, and its replenishment cycle. */
export interface ItemStockState {
  location?: string;
  sku?: string;
  onHand?: string;
  /** Replenishment cycles started so far; the open one waits for a receipt that lifts stock to par. */
  cycle: number;
  open: boolean;
}

const DECREASE = new Set(['consume', 'waste']);
const INCREASE = new Set(['receive', 'return']);

function target(event: ProcessEvent, catalog: ProcessCatalog): { location: string; item: ProcessCatalogItem } | undefined {
  if (event.type !== 'supply.consumed') return undefined;
  const m = event.data;
  if (!DECREASE.has(m.kind) && !INCREASE.has(m.kind)) return undefined;
  const item = findCatalogItem(catalog, m.item);
  // unknown items are implant-case's exception to raise (it sees the encounter); stock is kept for known items only
  return item ? { location: m.location, item } : undefined;
}

/** BEG03 stays short (≤ 22): `RQ-<8 hex of location+sku>-<cycle>`. Deterministic, so a re-emitted PO is the same PO. */
export function replenishmentPoNumber(location: string, sku: string, cycle: number): string {
  return `RQ-${createHash('sha256').update(`${location}|${sku}`).digest('hex').slice(0, 8).toUpperCase()}-${cycle}`;
}

/**
 * item-stock: on-hand per location and item from consumption/receipt movements; when stock falls
 * below par it emits ONE `replenishment.requested` per cycle (payload: the `build850` input from
 * `purchaseOrderTo850`, refilling to par). A receipt that lifts stock to par closes the cycle.
 *
 * @example const p = itemStockProcess({ catalog });
 */
export function itemStockProcess(config: { catalog: ProcessCatalog }): ProcessDefinition<ItemStockState> {
  const { catalog } = config;
  return defineProcess<ItemStockState>({
    name: ITEM_STOCK,
    correlate: (event) => {
      const t = target(event, catalog);
      return t ? `${t.location}|${t.item.sku}` : undefined;
    },
    initial: () => ({ cycle: 0, open: false }),
    apply: (prev, event) => {
      const t = target(event, catalog);
      if (!t || event.type !== 'supply.consumed') {
        return { state: prev, effects: [], status: prev.open ? 'waiting' : 'open', ...(prev.open ? { waitingFor: 'waiting for goods receipt' } : {}) };
      }
      const { item, location } = t;
      const m = event.data;
      const par = String(item.par);
      const before = prev.onHand ?? String(item.onHand);
      const onHand = addDecimal(before, DECREASE.has(m.kind) ? negateDecimal(m.quantity) : m.quantity, 0);
      const state: ItemStockState = { ...prev, location, sku: item.sku, onHand };
      const below = compareDecimal(onHand, par) < 0;
      if (!below && state.open) state.open = false;
      if (below && !state.open) {
        state.cycle += 1;
        state.open = true;
        const quantity = addDecimal(par, negateDecimal(onHand), 0);
        const po: PurchaseOrder = {
          poNumber: replenishmentPoNumber(location, item.sku, state.cycle), orderDate: event.occurredAt.slice(0, 10),
          supplierId: item.vendor, shipTo: location, currency: catalog.currency, purpose: 'original',
          lines: [{ lineNumber: '1', itemId: item.sku, gtin: item.gtin, quantity, uom: item.uom, unitPrice: { amount: item.contractPrice, currency: catalog.currency },
            ...(item.description ? { description: item.description } : {}), ...(item.costCenter ? { costCenter: item.costCenter } : {}) }],
        };
        return {
          state, status: 'waiting', waitingFor: `waiting for goods receipt of PO ${po.poNumber} (${quantity} ${item.uom})`,
          effects: [{ kind: 'replenishment.requested', key: `replenishment:${location}:${item.sku}:${state.cycle}`, destination: 'procurement', payload: purchaseOrderTo850(po) }],
        };
      }
      return { state, effects: [], status: state.open ? 'waiting' : 'open', ...(state.open ? { waitingFor: 'waiting for goods receipt' } : {}) };
    },
  });
}
