import { z } from 'zod';
import { DateTime, Decimal, IsoDate, Money } from './common.js';

export const PoLine = z.object({
  lineNumber: z.string().min(1),
  itemId: z.string().min(1),
  gtin: z.string().optional(),
  supplierPartNumber: z.string().optional(),
  description: z.string().optional(),
  quantity: Decimal,
  uom: z.string().min(1),
  unitPrice: Money,
  /** Department/cost center the line is charged to. */
  costCenter: z.string().optional(),
});
export type PoLine = z.infer<typeof PoLine>;

export const PurchaseOrder = z.object({
  /** BEG03 purchase order number. */
  poNumber: z.string().min(1),
  orderDate: IsoDate,
  supplierId: z.string().min(1),
  supplierName: z.string().optional(),
  shipTo: z.string().min(1),
  company: z.string().optional(),
  requiredBy: IsoDate.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  lines: z.array(PoLine).min(1),
  purpose: z.enum(['original', 'replace', 'cancel']).default('original'),
});
export type PurchaseOrder = z.infer<typeof PurchaseOrder>;

export const PoAcknowledgement = z.object({
  poNumber: z.string().min(1),
  ackDate: IsoDate,
  status: z.enum(['accepted', 'accepted-with-changes', 'rejected']),
  lines: z.array(z.object({
    lineNumber: z.string().min(1),
    status: z.enum(['accepted', 'backordered', 'changed', 'rejected']),
    quantity: Decimal.optional(),
    unitPrice: Money.optional(),
    shipDate: IsoDate.optional(),
  })).default([]),
});
export type PoAcknowledgement = z.infer<typeof PoAcknowledgement>;

const ShippedUnit = z.object({
  poNumber: z.string().min(1),
  lineNumber: z.string().optional(),
  itemId: z.string().optional(),
  gtin: z.string().optional(),
  lot: z.string().optional(),
  serial: z.string().optional(),
  expiry: IsoDate.optional(),
  quantity: Decimal,
  uom: z.string().min(1),
});

export const AdvanceShipNotice = z.object({
  shipmentId: z.string().min(1),
  shippedAt: DateTime,
  expectedAt: DateTime.optional(),
  supplierId: z.string().min(1),
  carrierTracking: z.string().optional(),
  lines: z.array(ShippedUnit).min(1),
});
export type AdvanceShipNotice = z.infer<typeof AdvanceShipNotice>;

export const GoodsReceipt = z.object({
  receiptId: z.string().min(1),
  receivedAt: DateTime,
  location: z.string().min(1),
  shipmentId: z.string().optional(),
  lines: z.array(ShippedUnit.extend({ condition: z.enum(['good', 'damaged', 'short', 'over']).default('good') })).min(1),
});
export type GoodsReceipt = z.infer<typeof GoodsReceipt>;

export const Invoice = z.object({
  /** BIG02 invoice number. */
  invoiceNumber: z.string().min(1),
  invoiceDate: IsoDate,
  supplierId: z.string().min(1),
  poNumber: z.string().optional(),
  total: Money,
  lines: z.array(z.object({
    lineNumber: z.string().min(1),
    poLineNumber: z.string().optional(),
    itemId: z.string().optional(),
    quantity: Decimal,
    uom: z.string().min(1),
    unitPrice: Money,
  })).min(1),
  dueDate: IsoDate.optional(),
});
export type Invoice = z.infer<typeof Invoice>;

export const Remittance = z.object({
  paymentId: z.string().min(1),
  paidAt: IsoDate,
  payerId: z.string().min(1),
  payeeId: z.string().min(1),
  total: Money,
  method: z.enum(['ACH', 'CHK', 'FWT', 'other']).default('ACH'),
  invoices: z.array(z.object({ invoiceNumber: z.string().min(1), paid: Money, adjustment: Money.optional() })).min(1),
});
export type Remittance = z.infer<typeof Remittance>;
