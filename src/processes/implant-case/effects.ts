import type { ChargeEvent, EventOf, InventoryMovement } from '../../canonical/index.js';
import { costPostingFromCharge, costPostingToErpJournalEntry, mulDecimal } from '../../mappings/index.js';
import { catalogCrosswalk, type ProcessCatalog, type ProcessCatalogItem } from '../catalog.js';
import type { Effect } from '../kernel/index.js';
import { IMPLANT_CHARGE_PREFIX, keySuffix, type DeviceKey } from './keys.js';
import type { CaseConsumption, CaseDevice } from './state.js';

/** Logical destinations of implant-case effects; the process step maps them to channel destinations. */
export const ImplantDestinations = { charge: 'charge', erp: 'erp', inventory: 'inventory' } as const;

const later = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * The three effects of a correlated implant: the charge (fed to discharge-charge too), ONE cost
 * posting per device for the ERP, and the stock issue. Throws LoomError when the cost posting
 * cannot be built (the caller turns it into a business exception).
 */
export function implantEffects(k: DeviceKey, item: ProcessCatalogItem, device: CaseDevice, use: CaseConsumption, catalog: ProcessCatalog): Effect[] {
  const currency = catalog.currency;
  const quantity = use.quantity;
  // business time at which both facts were known: the later of documentation and consumption
  const at = later(device.occurredAt, use.occurredAt);
  const charge: ChargeEvent = {
    id: `${IMPLANT_CHARGE_PREFIX}${k.encounter}/${item.sku}/${k.lot}/${k.serial}`,
    kind: 'charge', transactionType: 'CG', code: { code: item.chargeCode, ...(item.description ? { display: item.description } : {}) },
    ...(device.procedureCode ? { procedureCode: device.procedureCode } : {}),
    serviceDate: device.usedAt ?? use.occurredAt, quantity,
    unitAmount: { amount: item.chargePrice, currency },
    extendedAmount: { amount: mulDecimal(item.chargePrice, quantity, 2), currency },
    unitCost: { amount: item.contractPrice, currency },
    encounter: k.encounter, ...(device.patientMrn ?? use.patientMrn ? { patientMrn: device.patientMrn ?? use.patientMrn } : {}),
    itemId: item.sku, ...(item.costCenter ? { costCenter: item.costCenter, department: item.costCenter } : {}),
  };
  const chargeEvent: EventOf<'charge.captured'> = {
    id: `charge.captured/${charge.id}`, type: 'charge.captured', occurredAt: at, version: 'v1',
    correlation: { encounter: k.encounter, item: k.item, ...(k.lot ? { lot: k.lot } : {}), ...(k.serial ? { serial: k.serial } : {}) },
    data: charge,
  };
  const posting = costPostingFromCharge(charge, catalogCrosswalk(catalog), { ...(catalog.company ? { company: catalog.company } : {}) });
  const movement: InventoryMovement = {
    id: use.movementId, kind: 'consume', occurredAt: use.occurredAt, location: use.location, item: { gtin: item.gtin, sku: item.sku },
    ...(k.lot ? { lot: k.lot } : {}), ...(k.serial ? { serial: k.serial } : {}), quantity, uom: use.uom, encounter: k.encounter,
  };
  const s = keySuffix(k);
  return [
    { kind: 'charge.captured', key: `charge:${s}`, destination: ImplantDestinations.charge, payload: chargeEvent, feed: true },
    { kind: 'cost-posting', key: `cost-posting:${s}`, destination: ImplantDestinations.erp, payload: costPostingToErpJournalEntry(posting) },
    { kind: 'inventory-movement', key: `stock-issue:${s}`, destination: ImplantDestinations.inventory, payload: movement },
  ];
}
