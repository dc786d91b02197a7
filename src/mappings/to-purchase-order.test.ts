import { describe, expect, it } from 'vitest';
import { build850, parseX12 } from '../codecs/x12/index.js';
import { PurchaseOrder } from '../canonical/index.js';
import { purchaseOrderToErp } from './to-erpnext.js';
import { purchaseOrderTo850 } from './to-x12-850.js';
import { thrown } from './test-support.js';

const po = PurchaseOrder.parse({
  poNumber: 'PO-2025-0042', orderDate: '2025-03-02', supplierId: 'ACME-ORTHO', supplierName: 'Acme Ortho', shipTo: 'MAIN-DOCK', currency: 'USD',
  company: 'Hospital', requiredBy: '2025-03-05',
  lines: [
    { lineNumber: '1', itemId: 'ITEM-KNEE-5000', gtin: '00884423456787', supplierPartNumber: 'KNEE5000', quantity: '2', uom: 'EA', unitPrice: { amount: '1850.50', currency: 'USD' }, costCenter: 'OR - H' },
    { lineNumber: '2', itemId: 'ITEM-GAUZE', quantity: '10', uom: 'BX', unitPrice: { amount: '3.333', currency: 'USD' } },
  ],
});

describe('PurchaseOrder → ERPNext', () => {
  it('maps lines with qty, rate and exact amounts', () => {
    const body = purchaseOrderToErp(po);
    expect(body).toMatchObject({ doctype: 'Purchase Order', name: 'PO-2025-0042', supplier: 'ACME-ORTHO', transaction_date: '2025-03-02', schedule_date: '2025-03-05', currency: 'USD' });
    expect(body.items.map((i) => [i.item_code, i.qty, i.rate, i.amount, i.cost_center])).toEqual([
      ['ITEM-KNEE-5000', 2, 1850.5, 3701, 'OR - H'], ['ITEM-GAUZE', 10, 3.333, 33.33, undefined],
    ]);
  });
});

describe('PurchaseOrder → X12 850 input', () => {
  it('builds an 850 that parses back with BEG03, PO1 quantities and GTINs', () => {
    const input = purchaseOrderTo850(po);
    const interchange = build850(input, { senderId: 'HOSPITAL', receiverId: 'ACMEORTHO', controlNumber: 42, timestamp: '2025-03-02T10:00:00Z' });
    const parsed = parseX12(interchange.segments.map((s) => [s.id, ...s.elements].join('*')).join('~\n') + '~\n');
    const set = parsed.groups[0].sets[0];
    expect(set.type).toBe('850');
    expect(set.get('BEG03')).toBe('PO-2025-0042');
    expect(set.get('PO102')).toBe('2');
    expect(set.get('PO1[2]03')).toBe('BX');
    const po1 = set.segments.find((s) => s.id === 'PO1');
    expect(po1?.elements).toContain('00884423456787');
    expect(po1?.elements).toContain('KNEE5000');
  });

  it('refuses change and cancel orders instead of sending them as originals', () => {
    const e = thrown(() => purchaseOrderTo850({ ...po, purpose: 'cancel' }));
    expect([e.code, e.location]).toEqual(['mapping.field.invalid', 'PurchaseOrder.purpose']);
  });
});
