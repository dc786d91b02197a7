import { gs1CheckDigit } from '../codecs/udi/index.js';

/**
 * The estate's shared item catalog: every simulator (EHR, ERP, inventory, procurement, vendors)
 * reads ids, prices and par levels from here so a correct integration can line them up.
 */
export interface CatalogItem {
  /** ERP item_code and inventory SKU. */
  sku: string;
  description: string;
  /** GTIN-14 with its check digit. */
  gtin: string;
  /** HIBCC labeler, product and unit-of-measure digit (implants only); DI = lic + pcn + uom. */
  hibcc?: { lic: string; pcn: string; uom: string };
  uom: string;
  implant: boolean;
  /** Contract price (procurement SaaS and vendors invoice at this). */
  contractPrice: number;
  /** Charge master code and patient charge per unit (DFT FT1-7, FT1-22 unit price). */
  chargeCode: string;
  chargePrice: number;
  vendor: 'VENDOR-A' | 'VENDOR-B';
  /** Par level per point-of-use location; replenishment refills to par. */
  par: number;
  /** Stock on hand at the start of the day per location. */
  initialStock: number;
  costCenter: string;
}

export interface CatalogSupplier {
  id: 'VENDOR-A' | 'VENDOR-B';
  name: string;
  /** ISA sender/receiver id of the vendor. */
  x12Id: string;
}

export const HOSPITAL_X12_ID = 'LOOMHOSP';
export const LOCATIONS = ['OR-1', 'OR-2', 'CATH-1'] as const;
export const COST_CENTERS = ['Surgery - LH', 'Cardiology - LH', 'Main - LH'] as const;
export const SUPPLIERS: readonly CatalogSupplier[] = [
  { id: 'VENDOR-A', name: 'Acme Orthopedics', x12Id: 'ACMEORTHO' },
  { id: 'VENDOR-B', name: 'Beacon Medical Supply', x12Id: 'BEACONMED' },
];

/** GTIN-14 from a 7-digit company prefix and a 5-digit item reference (indicator 0). */
function gtin(prefix: string, ref: string): string {
  const body = `0${prefix}${ref}`;
  return body + String(gs1CheckDigit(body));
}

type Row = [sku: string, description: string, ref: string, hibcc: [string, string, string] | undefined, implant: boolean,
  contract: number, chargeCode: string, charge: number, vendor: CatalogItem['vendor'], par: number, initial: number, cc: string];

const ROWS: Row[] = [
  ['IMP-HIP-STEM', 'Hip stem, cementless, size 4', '10001', ['H124', 'HIPSTEM4', '1'], true, 1850, 'C1776-HIP', 5200, 'VENDOR-A', 4, 6, 'Surgery - LH'],
  ['IMP-KNEE-FEM', 'Knee femoral component, left', '10002', ['H124', 'KNEEFEML', '1'], true, 2100, 'C1776-KNEE', 6100, 'VENDOR-A', 4, 6, 'Surgery - LH'],
  ['IMP-BONE-SCR', 'Cortical bone screw 3.5 mm', '10003', ['H124', 'SCR35X20', '1'], true, 95, 'C1713-SCR', 310, 'VENDOR-A', 20, 30, 'Surgery - LH'],
  ['IMP-PACER', 'Dual-chamber pacemaker', '20001', ['B441', 'PACEDR2', '1'], true, 4800, 'C1785-PM', 14500, 'VENDOR-B', 2, 3, 'Cardiology - LH'],
  ['IMP-STENT-DES', 'Drug-eluting coronary stent 3.0x18', '20002', ['B441', 'DES3018', '1'], true, 1200, 'C1874-DES', 3900, 'VENDOR-B', 6, 8, 'Cardiology - LH'],
  ['SUP-SUTURE-2', 'Suture 2-0 braided, box of 1', '30001', undefined, false, 4.2, 'SUP-SUT', 18, 'VENDOR-B', 60, 80, 'Main - LH'],
  ['SUP-GAUZE', 'Gauze sponge 4x4 sterile pack', '30002', undefined, false, 1.1, 'SUP-GAU', 6, 'VENDOR-B', 120, 150, 'Main - LH'],
  ['SUP-GLOVE-7', 'Surgical glove size 7, pair', '30003', undefined, false, 0.9, 'SUP-GLV', 4, 'VENDOR-B', 200, 240, 'Main - LH'],
  ['SUP-CATH-6F', 'Guiding catheter 6F', '30004', undefined, false, 85, 'C1887-CAT', 260, 'VENDOR-B', 10, 14, 'Cardiology - LH'],
  ['SUP-DRAPE', 'Surgical drape, large', '30005', undefined, false, 7.5, 'SUP-DRP', 25, 'VENDOR-A', 40, 50, 'Main - LH'],
];

/** All items, in a fixed order. */
export const CATALOG: readonly CatalogItem[] = ROWS.map((r) => ({
  sku: r[0], description: r[1], gtin: gtin(r[8] === 'VENDOR-A' ? '0884521' : '0761234', r[2]),
  ...(r[3] ? { hibcc: { lic: r[3][0], pcn: r[3][1], uom: r[3][2] } } : {}),
  uom: 'EA', implant: r[4], contractPrice: r[5], chargeCode: r[6], chargePrice: r[7], vendor: r[8], par: r[9], initialStock: r[10], costCenter: r[11],
}));

/** The HIBCC DI (LIC + PCN + UoM) of an item, as `parseUdi(...).di` reads it. */
export function hibccDi(item: CatalogItem): string | undefined {
  return item.hibcc ? item.hibcc.lic + item.hibcc.pcn + item.hibcc.uom : undefined;
}

/**
 * Find an item by any of its keys (sku, GTIN, HIBCC DI).
 *
 * @example
 * findItem({ gtin: CATALOG[0].gtin })?.sku // 'IMP-HIP-STEM'
 */
export function findItem(key: { sku?: string; gtin?: string; hibccDi?: string }): CatalogItem | undefined {
  return CATALOG.find((i) => (key.sku !== undefined && i.sku === key.sku) || (key.gtin !== undefined && i.gtin === key.gtin)
    || (key.hibccDi !== undefined && hibccDi(i) === key.hibccDi));
}

/** A GTIN that no catalog item has (valid check digit), for `unknown-gtin` injection. */
export function unknownGtin(n: number): string {
  return gtin('0999999', String(90000 + (n % 9999)).padStart(5, '0'));
}

/** GL accounts the ERP simulator's chart knows: expense per item class, inventory as the offset. */
export const GL_ACCOUNTS = { implants: 'Implant Expense - LH', supplies: 'Medical Supplies Expense - LH', stock: 'Stock In Hand - LH' } as const;

/**
 * The catalog as a Loom crosswalk CSV (charge code → item, GL account, cost center, offset account),
 * so an estate config can cost the simulated charges.
 *
 * @example
 * const { crosswalk } = loadCrosswalkCsv(catalogCrosswalkCsv());
 */
export function catalogCrosswalkCsv(version = 'sim-1', effective = '2026-01-01'): string {
  const head = 'kind,source_system,source_code,target_system,target_code,item_id,gl_account,cost_center,offset_account,description';
  const rows = CATALOG.map((i) => ['charge', 'EPICSIM', i.chargeCode, 'ERP', i.sku, i.sku, i.implant ? GL_ACCOUNTS.implants : GL_ACCOUNTS.supplies,
    i.costCenter, GL_ACCOUNTS.stock, `"${i.description}"`].join(','));
  return [`#version=${version};effective=${effective}`, head, ...rows].join('\n') + '\n';
}
