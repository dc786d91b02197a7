import type { X12PurchaseOrder } from '../codecs/x12/index.js';
import type { PurchaseOrder } from '../canonical/index.js';
import { LoomError } from '../kernel/errors.js';

const PURPOSE_ORDER_TYPE: Record<PurchaseOrder['purpose'], string> = { original: 'SA', replace: 'SA', cancel: 'SA' };

/**
 * Canonical PurchaseOrder → the input object of `build850` (src/codecs/x12). Quantities and prices
 * become numbers here because the X12 builder formats R/decimal elements from numbers.
 *
 * @example
 * const interchange = build850(purchaseOrderTo850(po), envelope);
 */
export function purchaseOrderTo850(po: PurchaseOrder): X12PurchaseOrder {
  if (po.purpose !== 'original') {
    // BEG01 05 (replace) / 01 (cancel) are not offered by build850 yet; refusing beats sending an original.
    throw new LoomError('mapping.field.invalid', `PO ${po.poNumber} purpose "${po.purpose}" cannot be sent as an 850 yet`, {
      location: 'PurchaseOrder.purpose', hint: 'send change orders as 860 (not yet supported) or cancel by phone/portal',
    });
  }
  return {
    poNumber: po.poNumber,
    date: po.orderDate,
    orderType: PURPOSE_ORDER_TYPE[po.purpose],
    currency: po.currency,
    shipTo: { name: po.shipTo, idQualifier: '92', id: po.shipTo },
    vendor: { name: po.supplierName ?? po.supplierId, idQualifier: '92', id: po.supplierId },
    lines: po.lines.map((l) => ({
      lineNumber: l.lineNumber,
      quantity: Number(l.quantity),
      uom: l.uom,
      unitPrice: Number(l.unitPrice.amount),
      ...(l.gtin ? { gtin: l.gtin } : {}),
      ...(l.supplierPartNumber ? { vendorPartId: l.supplierPartNumber } : {}),
      buyerPartId: l.itemId,
      ...(l.description ? { description: l.description } : {}),
    })),
  };
}
