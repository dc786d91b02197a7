import { LoomError } from '../../kernel/errors.js';
import { buildX12Interchange, x12Date, x12Decimal, type X12EnvelopeOptions } from './build-envelope.js';
import type { X12Interchange } from './types.js';

/** A trading party for an N1 loop (N101 entity code, N102 name, N103/N104 id). */
export interface X12Party {
  name: string;
  idQualifier?: string;
  id?: string;
  address?: string;
  city?: string;
  state?: string;
  postalCode?: string;
}

/** Item ids written as PO1/IT1/LIN qualifier pairs: UK GTIN-14, VP vendor part, BP buyer part. */
export interface X12ItemIds {
  gtin?: string;
  vendorPartId?: string;
  buyerPartId?: string;
}

export interface X12PoLine extends X12ItemIds {
  /** PO101, default the 1-based line number. */
  lineNumber?: string;
  quantity: number;
  /** PO103 unit of measure, e.g. EA, BX, CS. */
  uom: string;
  unitPrice: number;
  description?: string;
}

/** Input of build850. */
export interface X12PurchaseOrder {
  /** BEG03. */
  poNumber: string;
  /** BEG05, ISO date. */
  date: string;
  /** BEG02, default SA (stand-alone). */
  orderType?: string;
  currency?: string;
  shipTo?: X12Party;
  billTo?: X12Party;
  vendor?: X12Party;
  lines: X12PoLine[];
}

function itemIds(ids: X12ItemIds): string[] {
  const out: string[] = [];
  if (ids.gtin) out.push('UK', ids.gtin);
  if (ids.vendorPartId) out.push('VP', ids.vendorPartId);
  if (ids.buyerPartId) out.push('BP', ids.buyerPartId);
  return out;
}

function party(code: string, p: X12Party | undefined): string[][] {
  if (!p) return [];
  const n1 = p.id ? ['N1', code, p.name, p.idQualifier ?? '92', p.id] : ['N1', code, p.name];
  const out = [n1];
  if (p.address) out.push(['N3', p.address]);
  if (p.city || p.state || p.postalCode) out.push(['N4', p.city ?? '', p.state ?? '', p.postalCode ?? '']);
  return out;
}

function needLines(n: number, what: string): void {
  if (n === 0) throw new LoomError('x12.build.empty', `the ${what} has no lines`, { hint: 'give at least one line' });
}

/**
 * Build a complete 850 purchase order interchange.
 *
 * @example
 * build850({ poNumber: 'PO-1', date: '2026-01-31', lines: [{ quantity: 2, uom: 'EA', unitPrice: 9.5, gtin: '00312345678906' }] }, env);
 */
export function build850(po: X12PurchaseOrder, envelope: X12EnvelopeOptions): X12Interchange {
  needLines(po.lines.length, 'purchase order');
  const segs: string[][] = [['BEG', '00', po.orderType ?? 'SA', po.poNumber, '', x12Date(po.date)]];
  if (po.currency) segs.push(['CUR', 'BY', po.currency]);
  segs.push(...party('ST', po.shipTo), ...party('BT', po.billTo), ...party('VN', po.vendor));
  po.lines.forEach((line, i) => {
    segs.push(['PO1', line.lineNumber ?? String(i + 1), x12Decimal(line.quantity), line.uom, x12Decimal(line.unitPrice), '', ...itemIds(line)]);
    if (line.description) segs.push(['PID', 'F', '', '', '', line.description]);
  });
  // CTT01 number of PO1 lines, CTT02 hash total of quantities (PO102).
  segs.push(['CTT', String(po.lines.length), x12Decimal(po.lines.reduce((s, l) => s + l.quantity, 0))]);
  return buildX12Interchange('PO', [{ type: '850', segments: segs }], envelope);
}

export interface X12AsnItem extends X12ItemIds {
  quantity: number;
  uom: string;
  lot?: string;
  serial?: string;
}

/** Input of build856: shipment > order > pack > item HL levels. */
export interface X12Asn {
  /** BSN02. */
  shipmentId: string;
  /** BSN03 ISO date; BSN04 time HHMM. */
  date: string;
  time?: string;
  shipTo?: X12Party;
  shipFrom?: X12Party;
  carrierScac?: string;
  billOfLading?: string;
  orders: { poNumber: string; packs: { sscc?: string; items: X12AsnItem[] }[] }[];
}

/**
 * Build a complete 856 ship notice with an S/O/P/I HL hierarchy.
 *
 * @example
 * build856({ shipmentId: 'SH1', date: '2026-01-31', orders: [{ poNumber: 'PO-1', packs: [{ sscc: '000123', items: [{ gtin: '0031', quantity: 1, uom: 'EA' }] }] }] }, env);
 */
export function build856(asn: X12Asn, envelope: X12EnvelopeOptions): X12Interchange {
  needLines(asn.orders.length, 'ship notice');
  const segs: string[][] = [['BSN', '00', asn.shipmentId, x12Date(asn.date), asn.time ?? '0000']];
  let hl = 0;
  segs.push(['HL', String(++hl), '', 'S']);
  if (asn.carrierScac) segs.push(['TD5', '', '2', asn.carrierScac]);
  if (asn.billOfLading) segs.push(['REF', 'BM', asn.billOfLading]);
  segs.push(...party('ST', asn.shipTo), ...party('SF', asn.shipFrom));
  for (const order of asn.orders) {
    const orderHl = String(++hl);
    segs.push(['HL', orderHl, '1', 'O'], ['PRF', order.poNumber]);
    for (const pack of order.packs) {
      const packHl = String(++hl);
      segs.push(['HL', packHl, orderHl, 'P']);
      if (pack.sscc) segs.push(['MAN', 'GM', pack.sscc]);
      for (const item of pack.items) {
        segs.push(['HL', String(++hl), packHl, 'I']);
        const lin = ['LIN', '', ...itemIds(item)];
        if (item.lot) lin.push('LT', item.lot);
        if (item.serial) lin.push('SN', item.serial);
        segs.push(lin, ['SN1', '', x12Decimal(item.quantity), item.uom]);
      }
    }
  }
  segs.push(['CTT', String(hl)]);
  return buildX12Interchange('SH', [{ type: '856', segments: segs }], envelope);
}

export interface X12InvoiceLine extends X12PoLine {}

/** Input of build810. */
export interface X12Invoice {
  /** BIG02. */
  invoiceNumber: string;
  /** BIG01 ISO date. */
  date: string;
  /** BIG04 and BIG03 (its date). */
  poNumber?: string;
  poDate?: string;
  remitTo?: X12Party;
  billTo?: X12Party;
  lines: X12InvoiceLine[];
}

/**
 * Build a complete 810 invoice; TDS01 is the line total in cents (N2).
 *
 * @example
 * build810({ invoiceNumber: 'INV-9', date: '2026-02-01', poNumber: 'PO-1', lines: [...] }, env);
 */
export function build810(invoice: X12Invoice, envelope: X12EnvelopeOptions): X12Interchange {
  needLines(invoice.lines.length, 'invoice');
  const segs: string[][] = [['BIG', x12Date(invoice.date), invoice.invoiceNumber, invoice.poDate ? x12Date(invoice.poDate) : '', invoice.poNumber ?? '']];
  segs.push(...party('RI', invoice.remitTo), ...party('BT', invoice.billTo));
  let total = 0;
  invoice.lines.forEach((line, i) => {
    total += line.quantity * line.unitPrice;
    segs.push(['IT1', line.lineNumber ?? String(i + 1), x12Decimal(line.quantity), line.uom, x12Decimal(line.unitPrice), '', ...itemIds(line)]);
    if (line.description) segs.push(['PID', 'F', '', '', '', line.description]);
  });
  segs.push(['TDS', String(Math.round(total * 100))], ['CTT', String(invoice.lines.length)]);
  return buildX12Interchange('IN', [{ type: '810', segments: segs }], envelope);
}

/** Input of build820: one payment (BPR), its trace (TRN) and the invoices it pays (RMR). */
export interface X12Remittance {
  /** BPR02 total paid. */
  amount: number;
  /** BPR04 payment method, default ACH. */
  method?: 'ACH' | 'CHK' | 'FWT';
  /** BPR16 effective date, ISO. */
  date: string;
  /** TRN02 check or trace number. */
  traceNumber: string;
  payer: X12Party;
  payee: X12Party;
  invoices: { invoiceNumber: string; paid: number; invoiced?: number; discount?: number }[];
}

/**
 * Build a complete 820 payment order/remittance advice.
 *
 * @example
 * build820({ amount: 100, date: '2026-03-01', traceNumber: 'T1', payer, payee, invoices: [{ invoiceNumber: 'INV-9', paid: 100 }] }, env);
 */
export function build820(r: X12Remittance, envelope: X12EnvelopeOptions): X12Interchange {
  needLines(r.invoices.length, 'remittance');
  // BPR01 C payment accompanies remittance; BPR03 C credit; BPR16 effective entry date.
  const bpr = ['BPR', 'C', x12Decimal(r.amount), 'C', r.method ?? 'ACH', '', '', '', '', '', '', '', '', '', '', '', x12Date(r.date)];
  const segs: string[][] = [bpr, ['TRN', '1', r.traceNumber], ...party('PR', r.payer), ...party('PE', r.payee)];
  for (const inv of r.invoices) {
    segs.push(['RMR', 'IV', inv.invoiceNumber, '', x12Decimal(inv.paid), inv.invoiced === undefined ? '' : x12Decimal(inv.invoiced),
      inv.discount === undefined ? '' : x12Decimal(inv.discount)]);
  }
  return buildX12Interchange('RA', [{ type: '820', segments: segs }], envelope);
}
