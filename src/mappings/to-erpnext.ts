import type { CostPosting, PurchaseOrder } from '../canonical/index.js';
import { mulDecimal } from './decimal.js';

/** ERPNext `Journal Entry` REST body (POST /api/resource/Journal Entry). */
export interface ErpJournalEntry {
  doctype: 'Journal Entry';
  voucher_type: 'Journal Entry';
  posting_date: string;
  company?: string;
  /** Reference no./date: our idempotency key, so a resend can be found and not doubled. */
  cheque_no: string;
  cheque_date: string;
  user_remark: string;
  multi_currency: 0;
  accounts: {
    account: string;
    debit_in_account_currency: number;
    credit_in_account_currency: number;
    cost_center?: string;
    user_remark?: string;
  }[];
}

/** ERPNext `Purchase Order` REST body (POST /api/resource/Purchase Order). */
export interface ErpPurchaseOrder {
  doctype: 'Purchase Order';
  name: string;
  supplier: string;
  transaction_date: string;
  schedule_date: string;
  company?: string;
  currency: string;
  items: { item_code: string; qty: number; uom: string; rate: number; amount: number; schedule_date: string; cost_center?: string; description?: string }[];
}

// ERPNext (Frappe) Currency/Float fields are JSON numbers; the canonical decimal string is converted
// only here at the wire edge, after exact decimal arithmetic.
function num(d: string): number {
  return Number(d);
}

/**
 * CostPosting → ERPNext Journal Entry with one accounts row per GL line (debit/credit, cost center).
 *
 * @example
 * const body = costPostingToErpJournalEntry(posting); // POST it to /api/resource/Journal%20Entry
 */
export function costPostingToErpJournalEntry(p: CostPosting): ErpJournalEntry {
  return {
    doctype: 'Journal Entry',
    voucher_type: 'Journal Entry',
    posting_date: p.postingDate,
    ...(p.company ? { company: p.company } : {}),
    cheque_no: p.id,
    cheque_date: p.postingDate,
    user_remark: `Loom cost posting ${p.id} (source ${p.source})`,
    multi_currency: 0,
    accounts: p.lines.map((l) => ({
      account: l.account,
      debit_in_account_currency: num(l.debit),
      credit_in_account_currency: num(l.credit),
      ...(l.costCenter ? { cost_center: l.costCenter } : {}),
      ...(l.memo ? { user_remark: l.memo } : {}),
    })),
  };
}

/**
 * PurchaseOrder → ERPNext Purchase Order; `name` carries the PO number (BEG03) so the ERP and
 * the vendor's 855/856/810 refer to the same key.
 *
 * @example
 * purchaseOrderToErp(po).items[0].item_code
 */
export function purchaseOrderToErp(po: PurchaseOrder): ErpPurchaseOrder {
  const schedule = po.requiredBy ?? po.orderDate;
  return {
    doctype: 'Purchase Order',
    name: po.poNumber,
    supplier: po.supplierId,
    transaction_date: po.orderDate,
    schedule_date: schedule,
    ...(po.company ? { company: po.company } : {}),
    currency: po.currency,
    items: po.lines.map((l) => ({
      item_code: l.itemId,
      qty: num(l.quantity),
      uom: l.uom,
      rate: num(l.unitPrice.amount),
      amount: num(mulDecimal(l.unitPrice.amount, l.quantity, 2)),
      schedule_date: schedule,
      ...(l.costCenter ? { cost_center: l.costCenter } : {}),
      ...(l.description ? { description: l.description } : {}),
    })),
  };
}
