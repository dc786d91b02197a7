import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { build850, serializeX12, type X12PurchaseOrder } from '../codecs/x12/index.js';
import { LoomError } from '../kernel/index.js';
import type { ItemMaster } from './item-master.js';

/** The hospital's X12 identity and its vendors' (the trading-partner agreement, per vendor id). */
export const TradingPartnersSchema = z.strictObject({
  senderId: z.string().min(1).max(15),
  senderQualifier: z.string().length(2).default('ZZ'),
  /** 004010 or 005010 (ISA12 00401 / 00501). */
  version: z.enum(['004010', '005010']).default('004010'),
  shipTo: z.strictObject({ name: z.string().min(1), id: z.string().optional() }).optional(),
  partners: z.record(z.string(), z.strictObject({
    name: z.string().min(1),
    receiverId: z.string().min(1).max(15),
    receiverQualifier: z.string().length(2).default('ZZ'),
  })),
});
export type TradingPartners = z.output<typeof TradingPartnersSchema>;

/** Load `trading-partners.json`; errors name the field. */
export function loadTradingPartners(file: string): TradingPartners {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new LoomError('estate.trading-partners.missing', `cannot read trading partners ${file}`, { location: file, hint: 'put master-data/trading-partners.json beside loom.config.yaml (see docs/estate.md)', cause });
  }
  const parsed = TradingPartnersSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoomError('estate.trading-partners.invalid', `${file}: ${issue?.path.join('.') || '$'}: ${issue?.message ?? 'invalid'}`, { location: `${file} ${issue?.path.join('.') ?? ''}`, hint: 'see docs/estate.md for the shape' });
  }
  return parsed.data;
}

/** A purchase order as the procurement SaaS publishes it (webhook JSON). */
export const ReplenishmentOrderInput = z.object({
  poNumber: z.string().min(1),
  supplier: z.string().min(1),
  location: z.string().min(1).optional(),
  /** ISO date; default today. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}/).optional(),
  lines: z.array(z.object({ sku: z.string().optional(), gtin: z.string().optional(), quantity: z.number().positive() })).min(1),
});

/**
 * Replenishment purchase order JSON → X12 850 text with the vendor's envelope: prices, GTINs and
 * units from the item master (contract), ISA08 from the trading partners, ISA13 from the PO
 * number's digits so a resend carries the same control number.
 *
 * @example
 * purchaseOrderToX12(po, items, partners) // 'ISA*00*...~ST*850*0001~BEG*00*SA*PO-1001**20260302~...'
 */
export function purchaseOrderToX12(input: unknown, items: ItemMaster, partners: TradingPartners): { text: string; poNumber: string; receiverId: string } {
  const parsed = ReplenishmentOrderInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoomError('mapping.field.invalid', `purchase order ${issue?.path.join('.') || '$'}: ${issue?.message ?? 'invalid'}`, { location: issue?.path.join('.') || '$', hint: 'shape: { poNumber, supplier, location?, date?, lines: [{ sku | gtin, quantity }] }' });
  }
  const po = parsed.data;
  const partner = partners.partners[po.supplier];
  if (!partner) {
    throw new LoomError('estate.partner.unknown', `supplier ${po.supplier} has no trading-partner agreement`, { location: 'supplier', hint: `add it to trading-partners.json (known: ${Object.keys(partners.partners).join(', ')})` });
  }
  const lines = po.lines.map((l, i) => {
    const item = items.find({ ...(l.sku ? { sku: l.sku } : {}), ...(l.gtin ? { gtin: l.gtin } : {}) });
    if (!item) throw new LoomError('estate.item.unknown', `line ${i + 1}: item ${l.sku ?? l.gtin ?? '?'} is not in the item master`, { location: `lines[${i}]`, hint: 'add the item to master-data/items.csv' });
    return { quantity: l.quantity, uom: item.uom, unitPrice: Number(item.unitCost), gtin: item.gtin, buyerPartId: item.sku, description: item.description };
  });
  const digits = po.poNumber.replace(/\D/g, '').slice(-9) || '1';
  const date = po.date?.slice(0, 10) ?? new Date().toISOString().slice(0, 10);
  const interchange = build850(
    {
      poNumber: po.poNumber, date, currency: 'USD', vendor: { name: partner.name, idQualifier: '92', id: po.supplier },
      ...(partners.shipTo ? { shipTo: { name: partners.shipTo.name, ...(partners.shipTo.id ? { idQualifier: '92', id: partners.shipTo.id } : {}), ...(po.location ? { address: po.location } : {}) } } : {}),
      lines,
    },
    { senderId: partners.senderId, senderQualifier: partners.senderQualifier, receiverId: partner.receiverId, receiverQualifier: partner.receiverQualifier, controlNumber: Number(digits), version: partners.version, timestamp: `${date}T00:00:00.000Z` },
  );
  return { text: serializeX12(interchange), poNumber: po.poNumber, receiverId: partner.receiverId };
}

/**
 * A `build850` input (what item-stock's `replenishment.requested` carries) → X12 850 text with the
 * trading partner's envelope, found by the PO's vendor id (N104). ISA13 from the PO number's digits.
 *
 * @example
 * envelope850({ poNumber: 'RQ-1A2B-1', date: '2026-03-02', vendor: { name: 'Acme', id: 'VENDOR-A' }, lines }, partners).text
 */
export function envelope850(input: unknown, partners: TradingPartners): { text: string; poNumber: string; receiverId: string } {
  const po = input as X12PurchaseOrder;
  if (typeof po !== 'object' || po === null || typeof po.poNumber !== 'string' || !Array.isArray(po.lines)) {
    throw new LoomError('mapping.field.missing', 'the purchase order has no poNumber or lines', { location: 'poNumber', hint: 'send the build850 input (item-stock replenishment.requested payload)' });
  }
  const vendorId = po.vendor?.id ?? '';
  const partner = partners.partners[vendorId];
  if (!partner) {
    throw new LoomError('estate.partner.unknown', `vendor ${vendorId || '(none)'} has no trading-partner agreement`, { location: 'vendor.id', hint: `add it to trading-partners.json (known: ${Object.keys(partners.partners).join(', ')})` });
  }
  // Control numbers are digits (ISA13 N0 9): take them from a hash of the PO number, stable across resends.
  const control = Number.parseInt(createHash('sha256').update(po.poNumber).digest('hex').slice(0, 7), 16) % 1_000_000_000 || 1;
  const interchange = build850({ ...po, vendor: { ...po.vendor, name: partner.name } }, {
    senderId: partners.senderId, senderQualifier: partners.senderQualifier, receiverId: partner.receiverId, receiverQualifier: partner.receiverQualifier,
    controlNumber: control, version: partners.version, timestamp: `${po.date}T00:00:00.000Z`,
  });
  return { text: serializeX12(interchange), poNumber: po.poNumber, receiverId: partner.receiverId };
}
