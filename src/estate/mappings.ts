import type { Bundle, Device, Procedure as FhirProcedure } from '@medplum/fhirtypes';
import { CostPosting as CostPostingSchema, type CanonicalEvent, type EventOf } from '../canonical/index.js';
import { Hl7Message } from '../codecs/hl7v2/index.js';
import type { Mapping, StepContext } from '../engine/index.js';
import { ContentTypes, LoomError } from '../kernel/index.js';
import {
  costPostingToErpJournalEntry, identifierSystems, mapAdtDischarge, mapDftCharges, mapFhirDeviceImplants, mapHl7DeviceImplants, mapInventoryConsumption, mulDecimal,
} from '../mappings/index.js';
import type { Crosswalk } from '../mappings/index.js';
import { eventToFhir } from './events-to-fhir.js';
import type { ItemMaster } from './item-master.js';
import { envelope850, purchaseOrderToX12, type TradingPartners } from './replenishment.js';

/** What the estate's mappings need besides the message: master data and the company name. */
export interface EstateMappingOptions {
  /** Item master, loaded lazily on first use so a missing file fails the message, not the start. */
  itemMaster: () => ItemMaster;
  /** Trading partners for X12 envelopes, loaded lazily like the item master. */
  tradingPartners?: () => TradingPartners;
  company?: string;
  /** The `identifier-systems` crosswalk in effect, if one is published (FHIR Identifier.system per assigning authority). */
  identifierSystems?: () => Crosswalk | undefined;
}

const json = 'application/json';

/** Events as NDJSON (one canonical event per line): a following `split` step makes one child each. */
function ndjson(events: readonly CanonicalEvent[]): { payload: string; contentType: string } {
  return { payload: events.map((e) => JSON.stringify(e)).join('\n'), contentType: json };
}

// HL7 triggers the estate turns into canonical events; others (A01, SIU) are journaled and filtered.
export const EVENT_TRIGGERS = ['ADT^A03', 'ADT^A13', 'DFT^P03', 'DFT^P11', 'BAR^P12', 'ORU^R01'] as const;

/** HL7 v2 → canonical events: A03/A13 discharge, DFT charges (+ devices), PR1/PRT and OBX-UDI implants. */
export function hl7ToEvents(input: unknown): CanonicalEvent[] {
  if (!(input instanceof Hl7Message)) throw new LoomError('estate.mapping.input', 'hl7-to-events needs an HL7 v2 message', { hint: 'use it on a channel with contentType: hl7v2' });
  const type = input.type;
  if (type === 'ADT^A03' || type === 'ADT^A13') return [mapAdtDischarge(input)];
  if (type === 'DFT^P03' || type === 'DFT^P11') {
    const { charges, devices } = mapDftCharges(input);
    return [...charges, ...devices];
  }
  if (type === 'BAR^P12' || type === 'ORU^R01') return mapHl7DeviceImplants(input);
  throw new LoomError('estate.mapping.trigger', `hl7-to-events has no mapping for MSH-9 ${type}`, { location: 'MSH-9', hint: `filter the channel to ${EVENT_TRIGGERS.join(', ')}` });
}

/** A FHIR Bundle (or a bare Procedure with contained Devices) → `device.implanted` events. */
export function fhirToDeviceImplanted(input: unknown): EventOf<'device.implanted'>[] {
  const resource = input as { resourceType?: unknown };
  const resources: unknown[] = resource.resourceType === 'Bundle'
    ? ((input as Bundle).entry ?? []).map((e) => e.resource)
    : resource.resourceType === 'Procedure' ? [input, ...(((input as FhirProcedure).contained ?? []) as unknown[])] : [];
  const procedures = resources.filter((r): r is FhirProcedure => (r as { resourceType?: unknown })?.resourceType === 'Procedure');
  const devices = resources.filter((r): r is Device => (r as { resourceType?: unknown })?.resourceType === 'Device');
  if (procedures.length === 0) throw new LoomError('mapping.field.missing', 'no Procedure in the FHIR payload', { location: 'Bundle.entry.resource', hint: 'send a Bundle with a Procedure and its Device resources' });
  return procedures.flatMap((p) => mapFhirDeviceImplants(p, devices));
}

function asEvent(input: unknown, type: CanonicalEvent['type']): CanonicalEvent {
  const e = input as { type?: unknown };
  if (typeof input !== 'object' || input === null || e.type !== type) {
    throw new LoomError('estate.mapping.input', `expected a canonical ${type} event, got ${typeof e?.type === 'string' ? e.type : typeof input}`, { location: 'type', hint: 'route only this event type to the channel' });
  }
  return input as CanonicalEvent;
}

/**
 * `supply.consumed` → ERPNext Journal Entry: debit the item's expense account on its cost center,
 * credit stock in hand, at the item master's contract cost. A return swaps the sides.
 */
export function supplyConsumedToJournalEntry(input: unknown, items: ItemMaster, company?: string): ReturnType<typeof costPostingToErpJournalEntry> {
  const event = asEvent(input, 'supply.consumed') as EventOf<'supply.consumed'>;
  const m = event.data;
  const item = items.find(m.item);
  if (!item) {
    const key = m.item.gtin ? `GTIN ${m.item.gtin}` : m.item.hibccDi ? `HIBCC ${m.item.hibccDi}` : `SKU ${m.item.sku ?? '?'}`;
    throw new LoomError('estate.item.unknown', `${key} is not in the item master, so the consumption cannot be costed`, {
      location: 'data.item', hint: 'add the item to the ERP item master (master-data/items.csv) and replay the message from the console',
    });
  }
  const amount = mulDecimal(item.unitCost, m.quantity, 2);
  const debit = { account: item.glAccount, costCenter: item.costCenter };
  const credit = { account: item.offsetAccount };
  const [d, c] = m.kind === 'return' ? [credit, debit] : [debit, credit];
  const memo = `${item.sku} x${m.quantity}${m.serial ? ` SN ${m.serial}` : ''}`;
  const posting = CostPostingSchema.parse({
    id: `cost/supply/${m.id}`, postingDate: m.occurredAt.slice(0, 10), ...(company ? { company } : {}), currency: item.currency, source: m.id,
    ...(event.correlation.encounter ? { encounter: event.correlation.encounter } : {}),
    lines: [{ ...d, debit: amount, credit: '0', memo }, { ...c, debit: '0', credit: amount, memo }],
    total: { amount, currency: item.currency },
  });
  return costPostingToErpJournalEntry(posting);
}

/**
 * The estate's named mappings for `translate` steps (`with: {mapping: <name>}`).
 *
 * @example
 * new Engine({ store, mappings: estateMappings({ itemMaster: () => loadItemMaster('items.csv') }) });
 */
export function estateMappings(options: EstateMappingOptions): Record<string, Mapping> {
  let items: ItemMaster | undefined;
  const itemMaster = (): ItemMaster => (items ??= options.itemMaster());
  let partners: TradingPartners | undefined;
  const tradingPartners = (): TradingPartners => {
    if (!options.tradingPartners) throw new LoomError('estate.trading-partners.missing', 'no trading partners configured for X12 envelopes', { hint: 'put master-data/trading-partners.json beside loom.config.yaml' });
    return (partners ??= options.tradingPartners());
  };
  return {
    'hl7-to-events': (input) => ndjson(hl7ToEvents(input)),
    'inventory-to-supply-consumed': (input) => ({ payload: JSON.stringify(mapInventoryConsumption(input)), contentType: json }),
    'fhir-to-device-implanted': (input) => ndjson(fhirToDeviceImplanted(input)),
    // canonical event → FHIR R4 resource or transaction Bundle for Loom's own FHIR store (fhir-feed)
    'events-to-fhir': (input) => ({ payload: JSON.stringify(eventToFhir(input, { systemFor: identifierSystems(options.identifierSystems?.()) })), contentType: 'application/fhir+json' }),
    'supply-consumed-to-erp-journal-entry': (input, ctx: StepContext) => {
      const entry = supplyConsumedToJournalEntry(input, itemMaster(), options.company);
      // One ERP posting per consumption: the ERP's Idempotency-Key is <destination>:<posting id>.
      ctx.setEffectKey(entry.cheque_no);
      return { payload: JSON.stringify(entry), contentType: json };
    },
    // item-stock's replenishment effect (build850 input) → the vendor's 850; process-effect already set the effect key.
    'x12-850-envelope': (input, ctx: StepContext) => {
      const { text, poNumber } = envelope850(input, tradingPartners());
      ctx.setEffectKey(`850-${poNumber}`);
      return { payload: text, contentType: ContentTypes.x12 };
    },
    'purchase-order-to-x12-850': (input, ctx: StepContext) => {
      const { text, poNumber } = purchaseOrderToX12(input, itemMaster(), tradingPartners());
      // One 850 per PO: the file name and any receiver dedupe on 850/<PO number>.
      ctx.setEffectKey(`850-${poNumber}`);
      return { payload: text, contentType: ContentTypes.x12 };
    },
  };
}
