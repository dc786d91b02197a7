import type { EventOf } from '../../canonical/index.js';
import { findCatalogItem, type ProcessCatalog } from '../catalog.js';

/** Device identity across EHR and inventory: encounter + item (catalog GTIN, else the raw DI) + lot + serial. */
export interface DeviceKey {
  encounter: string;
  /** The catalog GTIN when known (so a HIBCC-labelled device meets its GTIN consumption), else `unknown:<di>`. */
  item: string;
  lot: string;
  serial: string;
}

export const keyText = (k: DeviceKey): string => `${k.encounter}|${k.item}|${k.lot}|${k.serial}`;
/** Suffix of effect keys: `<encounter>:<gtin>:<lot>:<serial>`. */
export const keySuffix = (k: DeviceKey): string => `${k.encounter}:${k.item}:${k.lot}:${k.serial}`;
/** Charge ids of implant cases start with this, so discharge-charge can tell them from DFT charges. */
export const IMPLANT_CHARGE_PREFIX = 'implant/';

/** The device key of a documented implant, or undefined when it cannot be correlated (no encounter, explant). */
export function deviceKeyOfImplant(e: EventOf<'device.implanted'>, catalog: ProcessCatalog): DeviceKey | undefined {
  const d = e.data;
  const encounter = d.encounter ?? e.correlation.encounter;
  if (encounter === undefined || d.action === 'explanted') return undefined;
  const item = findCatalogItem(catalog, { ...(d.gtin ? { gtin: d.gtin } : {}), di: d.di });
  return { encounter, item: item?.gtin ?? `unknown:${d.gtin ?? d.di}`, lot: d.lot ?? '', serial: d.serial ?? '' };
}

/** The device key of a consumption of an implant (or of an unknown item), else undefined (plain supplies). */
export function deviceKeyOfConsumption(e: EventOf<'supply.consumed'>, catalog: ProcessCatalog): DeviceKey | undefined {
  const m = e.data;
  const encounter = m.encounter ?? e.correlation.encounter;
  if (encounter === undefined || m.kind !== 'consume') return undefined;
  const item = findCatalogItem(catalog, m.item);
  if (item !== undefined && !item.implant) return undefined;
  const raw = m.item.gtin ?? m.item.hibccDi ?? m.item.sku ?? '';
  return { encounter, item: item?.gtin ?? `unknown:${raw}`, lot: m.lot ?? '', serial: m.serial ?? '' };
}
