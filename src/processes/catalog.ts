import type { Crosswalk } from '../mappings/index.js';

/** One item as the processes need it: ids, prices (decimal text), par and opening stock. */
export interface ProcessCatalogItem {
  sku: string;
  description?: string;
  gtin: string;
  hibccDi?: string;
  uom: string;
  implant: boolean;
  /** Contract price per unit: the cost posted to the ERP. */
  contractPrice: string;
  /** ERP item valuation (item master sync); differing from the contract beyond the tolerance is a business exception. */
  erpCost?: string;
  chargeCode: string;
  chargePrice: string;
  costCenter?: string;
  vendor: string;
  par: number;
  /** Opening stock on hand, per point-of-use location. */
  onHand: number;
  glAccount?: string;
  offsetAccount?: string;
}

export interface ProcessCatalog {
  currency: string;
  items: ProcessCatalogItem[];
  company?: string;
  /** Debit account when an item names none. */
  expenseAccount: string;
  /** Credit (inventory) account when an item names none. */
  offsetAccount: string;
}

/** The simulators' catalog shape (structural, so processes do not import simulators). */
export interface CatalogLike {
  sku: string; description: string; gtin: string; hibcc?: { lic: string; pcn: string; uom: string }; uom: string; implant: boolean;
  contractPrice: number; chargeCode: string; chargePrice: number; costCenter: string; vendor: string; par: number; initialStock: number;
}

/**
 * Build a ProcessCatalog from the estate's item catalog (`src/simulators/catalog.ts` CATALOG).
 *
 * @example const catalog = processCatalogFrom(CATALOG, { currency: 'USD' });
 */
export function processCatalogFrom(items: readonly CatalogLike[], options: Partial<Omit<ProcessCatalog, 'items'>> = {}): ProcessCatalog {
  return {
    currency: options.currency ?? 'USD',
    expenseAccount: options.expenseAccount ?? 'Medical Supplies Expense - LH',
    offsetAccount: options.offsetAccount ?? 'Stock In Hand - LH',
    ...(options.company ? { company: options.company } : {}),
    items: items.map((i) => ({
      sku: i.sku, description: i.description, gtin: i.gtin, ...(i.hibcc ? { hibccDi: i.hibcc.lic + i.hibcc.pcn + i.hibcc.uom } : {}),
      uom: i.uom, implant: i.implant, contractPrice: i.contractPrice.toFixed(2), chargeCode: i.chargeCode,
      chargePrice: i.chargePrice.toFixed(2), costCenter: i.costCenter, vendor: i.vendor, par: i.par, onHand: i.initialStock,
    })),
  };
}

/** Find an item by GTIN, HIBCC DI, SKU or a device identifier of either kind. */
export function findCatalogItem(catalog: ProcessCatalog, key: { gtin?: string; hibccDi?: string; sku?: string; di?: string }): ProcessCatalogItem | undefined {
  return catalog.items.find((i) => (key.gtin !== undefined && i.gtin === key.gtin) || (key.sku !== undefined && i.sku === key.sku)
    || (key.hibccDi !== undefined && i.hibccDi === key.hibccDi) || (key.di !== undefined && (i.gtin === key.di || i.hibccDi === key.di)));
}

/** A charge crosswalk (charge code → GL accounts) from the catalog, for `costPostingFromCharge`. */
export function catalogCrosswalk(catalog: ProcessCatalog): Crosswalk {
  return {
    version: 'process-catalog', effectiveDate: '1970-01-01',
    rows: catalog.items.map((i) => ({
      kind: 'charge' as const, chargeCode: i.chargeCode, itemId: i.sku, glAccount: i.glAccount ?? catalog.expenseAccount,
      ...(i.costCenter ? { costCenter: i.costCenter } : {}), offsetAccount: i.offsetAccount ?? catalog.offsetAccount,
      ...(i.description ? { description: i.description } : {}),
    })),
  };
}
