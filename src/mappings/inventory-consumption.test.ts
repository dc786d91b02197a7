import { describe, expect, it } from 'vitest';
import { CanonicalEvent } from '../canonical/index.js';
import { mapInventoryConsumption } from './inventory-consumption.js';
import { thrown } from './test-support.js';

const input = {
  eventId: 'inv-1', occurredAt: '2025-03-01T10:05:00-05:00', location: 'OR-3-PAR', item: { gtin: '00884423456787' },
  lot: 'LOT7781', serial: 'SN0042', quantity: 1, uom: 'EA', encounter: 'V-9001', patientMrn: 'MRN-7001',
};

describe('inventory consumption JSON → supply.consumed', () => {
  it('maps a consumption', () => {
    const ev = mapInventoryConsumption(input);
    expect(CanonicalEvent.parse(ev).type).toBe('supply.consumed');
    expect(ev.data).toMatchObject({ id: 'inv-1', kind: 'consume', quantity: '1', item: { gtin: '00884423456787' }, location: 'OR-3-PAR' });
    expect(ev.correlation).toEqual({ encounter: 'V-9001', patient: 'MRN-7001', item: '00884423456787', lot: 'LOT7781', serial: 'SN0042' });
  });

  it('a negative quantity is a return with a positive quantity; decimal text is kept', () => {
    expect(mapInventoryConsumption({ ...input, quantity: -2 }).data).toMatchObject({ kind: 'return', quantity: '2' });
    expect(mapInventoryConsumption({ ...input, quantity: '0.5', uom: 'ML' }).data.quantity).toBe('0.5');
  });

  it.each([
    ['no item key', { ...input, item: {} }, 'mapping.field.invalid', 'item'],
    ['missing eventId', { ...input, eventId: undefined }, 'mapping.field.missing', 'eventId'],
    ['bad time', { ...input, occurredAt: 'yesterday' }, 'mapping.field.invalid', 'occurredAt'],
    ['zero quantity', { ...input, quantity: 0 }, 'mapping.field.invalid', 'quantity'],
    ['float quantity', { ...input, quantity: 1.5 }, 'mapping.field.invalid', 'quantity'],
  ])('%s is refused', (_n, bad, code, location) => {
    const e = thrown(() => mapInventoryConsumption(bad));
    expect([e.code, e.location]).toEqual([code, location]);
  });
});
