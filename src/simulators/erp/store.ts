import { CATALOG, COST_CENTERS, SUPPLIERS } from '../catalog.js';
import { isRecord } from '../http.js';

/** The DocTypes the ERP simulator serves, as ERPNext names them. */
export const ERP_DOCTYPES = ['Supplier', 'Item', 'Cost Center', 'Purchase Order', 'Purchase Receipt', 'Purchase Invoice', 'Journal Entry'] as const;
export type ErpDocType = (typeof ERP_DOCTYPES)[number];

export type ErpDoc = Record<string, unknown> & { name: string; doctype: string };

/** An ERPNext-style refusal: HTTP status plus Frappe's exc_type. */
export class ErpRefusal extends Error {
  constructor(readonly status: number, readonly excType: string, message: string) { super(message); }
}

// Naming series as ERPNext's defaults (PUR-ORD-.YYYY.-, MAT-PRE-, ACC-PINV-, ACC-JV-).
const SERIES: Partial<Record<ErpDocType, string>> = {
  'Purchase Order': 'PUR-ORD', 'Purchase Receipt': 'MAT-PRE', 'Purchase Invoice': 'ACC-PINV', 'Journal Entry': 'ACC-JV',
};
const NATURAL_KEY: Partial<Record<ErpDocType, string>> = { Supplier: 'supplier_name', Item: 'item_code', 'Cost Center': 'cost_center_name' };

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0;
}

/** In-memory documents per DocType with ERPNext-like naming, links and validation. */
export class ErpStore {
  readonly docs = new Map<ErpDocType, Map<string, ErpDoc>>();
  private counters = new Map<string, number>();

  constructor(seedMasterData: boolean, private readonly year = '2026') {
    for (const t of ERP_DOCTYPES) this.docs.set(t, new Map());
    if (!seedMasterData) return;
    for (const s of SUPPLIERS) this.insert('Supplier', { name: s.id, supplier_name: s.name, supplier_group: 'Medical Devices' });
    for (const cc of COST_CENTERS) this.insert('Cost Center', { name: cc, cost_center_name: cc.replace(/ - LH$/, ''), company: 'Loom Hospital', is_group: 0 });
    for (const i of CATALOG) {
      this.insert('Item', { name: i.sku, item_code: i.sku, item_name: i.description, stock_uom: i.uom, is_stock_item: 1,
        barcodes: [{ barcode: i.gtin, barcode_type: 'GTIN' }], valuation_rate: i.contractPrice, default_supplier: i.vendor });
    }
  }

  table(doctype: ErpDocType): Map<string, ErpDoc> {
    return this.docs.get(doctype) as Map<string, ErpDoc>;
  }

  get(doctype: ErpDocType, name: string): ErpDoc {
    const doc = this.table(doctype).get(name);
    if (!doc) throw new ErpRefusal(404, 'DoesNotExistError', `${doctype} ${name} not found`);
    return doc;
  }

  insert(doctype: ErpDocType, body: Record<string, unknown>): ErpDoc {
    this.validate(doctype, body);
    const name = typeof body.name === 'string' && body.name !== '' ? body.name : this.nextName(doctype, body);
    if (this.table(doctype).has(name)) throw new ErpRefusal(409, 'DuplicateEntryError', `${doctype} ${name} already exists`);
    const doc: ErpDoc = { ...body, name, doctype, docstatus: num(body.docstatus), creation: new Date().toISOString(), modified: new Date().toISOString() };
    this.table(doctype).set(name, doc);
    return doc;
  }

  update(doctype: ErpDocType, name: string, patch: Record<string, unknown>): ErpDoc {
    const doc = this.get(doctype, name);
    // ERPNext refuses edits to submitted documents (docstatus 1) except cancelling them (2)
    if (doc.docstatus === 1 && !(Object.keys(patch).length === 1 && patch.docstatus === 2)) {
      throw new ErpRefusal(417, 'UpdateAfterSubmitError', `${doctype} ${name} is submitted; cancel it before editing`);
    }
    const merged = { ...doc, ...patch, name, doctype, modified: new Date().toISOString() };
    this.validate(doctype, merged);
    this.table(doctype).set(name, merged);
    return merged;
  }

  private nextName(doctype: ErpDocType, body: Record<string, unknown>): string {
    const key = NATURAL_KEY[doctype];
    if (key && typeof body[key] === 'string') return body[key];
    const prefix = SERIES[doctype] ?? doctype.toUpperCase().replace(/\s+/g, '-');
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}-${this.year}-${String(n).padStart(5, '0')}`;
  }

  private link(doctype: ErpDocType, value: unknown, field: string): void {
    if (typeof value !== 'string' || !this.table(doctype).has(value)) {
      throw new ErpRefusal(417, 'LinkValidationError', `Could not find ${field}: ${String(value)}`);
    }
  }

  private validate(doctype: ErpDocType, body: Record<string, unknown>): void {
    if (doctype === 'Purchase Order' || doctype === 'Purchase Receipt' || doctype === 'Purchase Invoice') {
      this.link('Supplier', body.supplier, 'Supplier');
      const items = Array.isArray(body.items) ? body.items : [];
      if (items.length === 0) throw new ErpRefusal(417, 'MandatoryError', `${doctype}: Items are mandatory`);
      items.forEach((row, i) => {
        if (!isRecord(row)) throw new ErpRefusal(417, 'ValidationError', `${doctype} items row ${i + 1} is not an object`);
        this.link('Item', row.item_code, `Item in row ${i + 1}`);
        if (!(num(row.qty) > 0)) throw new ErpRefusal(417, 'ValidationError', `Row ${i + 1}: qty must be positive`);
      });
    }
    if (doctype === 'Journal Entry') {
      const rows = Array.isArray(body.accounts) ? body.accounts.filter(isRecord) : [];
      if (rows.length < 2) throw new ErpRefusal(417, 'MandatoryError', 'Journal Entry: at least two accounts rows are needed');
      let debit = 0;
      let credit = 0;
      for (const r of rows) {
        debit += num(r.debit_in_account_currency ?? r.debit);
        credit += num(r.credit_in_account_currency ?? r.credit);
        if (typeof r.cost_center === 'string') this.link('Cost Center', r.cost_center, 'Cost Center');
      }
      if (Math.abs(debit - credit) > 0.005) {
        throw new ErpRefusal(417, 'ValidationError', `Total Debit must be equal to Total Credit. The difference is ${(debit - credit).toFixed(2)}`);
      }
      body.total_debit = debit;
      body.total_credit = credit;
    }
  }
}

/** Apply Frappe list filters: `[[field, op, value]]`, `[[doctype, field, op, value]]` or `{field: value}`. */
export function matchesFilters(doc: ErpDoc, filters: unknown): boolean {
  const list: unknown[][] = Array.isArray(filters)
    ? filters.filter(Array.isArray).map((f) => (f.length === 4 ? f.slice(1) : f))
    : isRecord(filters) ? Object.entries(filters).map(([k, v]) => (Array.isArray(v) ? [k, ...v] : [k, '=', v])) : [];
  return list.every(([field, op, value]) => {
    const actual = doc[String(field)];
    switch (String(op)) {
      case '=': return actual == value; // loose on purpose: Frappe compares "1" = 1
      case '!=': return actual != value;
      case '>': return num(actual) > num(value);
      case '<': return num(actual) < num(value);
      case '>=': return num(actual) >= num(value);
      case '<=': return num(actual) <= num(value);
      case 'in': return Array.isArray(value) && value.some((v) => v == actual);
      case 'not in': return Array.isArray(value) && !value.some((v) => v == actual);
      case 'like': {
        const re = new RegExp(`^${String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*')}$`, 'i');
        return re.test(String(actual ?? ''));
      }
      default: throw new ErpRefusal(417, 'ValidationError', `unsupported filter operator ${String(op)}`);
    }
  });
}
