import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { LoomError } from '../kernel/index.js';

/** One item of the estate's item master (system of record: the ERP; exported as CSV for Loom). */
export interface ItemMasterRow {
  sku: string;
  gtin: string;
  hibccDi?: string;
  description: string;
  uom: string;
  /** Implants are costed per device by the implant-case process; other supplies per consumption. */
  implant: boolean;
  /** Contract unit cost as a decimal string. */
  unitCost: string;
  currency: string;
  /** Charge master code (FT1-7) and patient charge per unit. */
  chargeCode: string;
  chargePrice: string;
  glAccount: string;
  costCenter: string;
  offsetAccount: string;
  vendor: string;
  vendorX12Id: string;
  /** Par level and opening stock per point-of-use location. */
  par: number;
  initialStock: number;
}

/** Item lookups by any key the estate's systems use: SKU, GTIN (GS1), HIBCC DI. */
export class ItemMaster {
  private readonly byKey = new Map<string, ItemMasterRow>();

  constructor(readonly rows: readonly ItemMasterRow[]) {
    for (const r of rows) {
      this.byKey.set(`sku:${r.sku}`, r);
      this.byKey.set(`gtin:${r.gtin}`, r);
      if (r.hibccDi) this.byKey.set(`hibcc:${r.hibccDi}`, r);
    }
  }

  /** Find by `{gtin}`, `{hibccDi}` or `{sku}` (first that matches), else undefined. */
  find(key: { gtin?: string; hibccDi?: string; sku?: string }): ItemMasterRow | undefined {
    return (key.gtin ? this.byKey.get(`gtin:${key.gtin}`) : undefined)
      ?? (key.hibccDi ? this.byKey.get(`hibcc:${key.hibccDi}`) : undefined)
      ?? (key.sku ? this.byKey.get(`sku:${key.sku}`) : undefined);
  }
}

const COLUMNS = ['sku', 'gtin', 'hibcc_di', 'description', 'uom', 'implant', 'unit_cost', 'currency', 'charge_code', 'charge_price', 'gl_account', 'cost_center', 'offset_account', 'vendor', 'vendor_x12_id', 'par', 'initial_stock'] as const;
const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * Parse the item master CSV (header row with the columns above). A bad row is an error naming
 * its line, since costing against a wrong price is worse than not starting.
 *
 * @example
 * const items = parseItemMasterCsv(readFileSync('master-data/items.csv', 'utf8'));
 * items.find({ gtin: '00884521100018' })?.unitCost // '1850'
 */
export function parseItemMasterCsv(text: string, fileName = 'items.csv'): ItemMaster {
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const rows = records.map((r, i): ItemMasterRow => {
    const line = i + 2;
    for (const c of COLUMNS) {
      if (c !== 'hibcc_di' && !r[c]) {
        throw new LoomError('estate.item-master.invalid', `${fileName}:${line} has no ${c}`, { location: `${fileName}:${line} ${c}`, hint: `fill every column: ${COLUMNS.join(', ')}` });
      }
    }
    for (const c of ['unit_cost', 'charge_price', 'par', 'initial_stock'] as const) {
      if (!DECIMAL.test(r[c])) throw new LoomError('estate.item-master.invalid', `${fileName}:${line} ${c} "${r[c]}" is not a number`, { location: `${fileName}:${line} ${c}`, hint: 'write e.g. 1850 or 4.20' });
    }
    if (!/^(yes|no)$/.test(r.implant)) throw new LoomError('estate.item-master.invalid', `${fileName}:${line} implant "${r.implant}" is not yes or no`, { location: `${fileName}:${line} implant`, hint: 'write yes or no' });
    return {
      sku: r.sku, gtin: r.gtin, ...(r.hibcc_di ? { hibccDi: r.hibcc_di } : {}), description: r.description, uom: r.uom, implant: r.implant === 'yes', unitCost: r.unit_cost,
      currency: r.currency, chargeCode: r.charge_code, chargePrice: r.charge_price, par: Number(r.par), initialStock: Number(r.initial_stock), glAccount: r.gl_account, costCenter: r.cost_center, offsetAccount: r.offset_account, vendor: r.vendor, vendorX12Id: r.vendor_x12_id,
    };
  });
  return new ItemMaster(rows);
}

/** Load the item master file; throws `estate.item-master.missing` when it cannot be read. */
export function loadItemMaster(file: string): ItemMaster {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new LoomError('estate.item-master.missing', `cannot read the item master ${file}`, { location: file, hint: 'put master-data/items.csv beside loom.config.yaml (see docs/estate.md)', cause });
  }
  return parseItemMasterCsv(text, file);
}
