import type { Bundle, ChargeItem, Device, Encounter, Procedure } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { eventToFhir } from './events-to-fhir.js';

const implant = (id: string) => ({
  id: `device.implanted/${id}`, type: 'device.implanted', occurredAt: '2026-03-02T09:00:00.000Z', version: 'v1', correlation: { encounter: 'V1', patient: 'MRN1' },
  data: { id, issuer: 'GS1', di: '00884521100025', lot: 'L1', serial: 'S1', expiry: '2028-01-31', action: 'implanted', encounter: 'V1', patientMrn: 'MRN1' },
});

describe('events-to-fhir', () => {
  it('maps device.implanted to a transaction of Device + Procedure keyed by DI and serial, not the message id', () => {
    const a = eventToFhir(implant('V1/00884521100025/S1')) as Bundle;
    const b = eventToFhir(implant('another-source-id')) as Bundle;
    expect(a.type).toBe('transaction');
    const device = a.entry?.[0].resource as Device;
    expect(device).toMatchObject({ resourceType: 'Device', lotNumber: 'L1', serialNumber: 'S1', expirationDate: '2028-01-31' });
    expect(device.udiCarrier?.[0].deviceIdentifier).toBe('00884521100025');
    expect(device.patient?.reference).toMatch(/^Patient\//);
    expect((b.entry?.[0].resource as Device).id).toBe(device.id);
    const proc = a.entry?.[1].resource as Procedure;
    expect(proc.focalDevice?.[0].manipulated.reference).toBe(`Device/${device.id ?? ''}`);
    expect(a.entry?.[0].request).toEqual({ method: 'PUT', url: `Device/${device.id ?? ''}` });
  });

  it('maps charge.captured, encounter.discharged and supply.consumed', () => {
    const charge = eventToFhir({ id: 'c', type: 'charge.captured', occurredAt: '2026-03-02T09:00:00.000Z', correlation: {}, data: { id: 'V1/1', kind: 'debit', serviceDate: '2026-03-02T09:00:00.000Z', code: { code: 'X' }, quantity: '2', encounter: 'V1' } }) as ChargeItem;
    expect(charge).toMatchObject({ resourceType: 'ChargeItem', status: 'billable', quantity: { value: 2 } });
    const enc = eventToFhir({ id: 'e', type: 'encounter.discharged', occurredAt: '2026-03-02T18:00:00.000Z', correlation: {}, data: { visitNumber: { value: 'V1' }, status: 'in-progress' } }) as Encounter;
    expect(enc).toMatchObject({ resourceType: 'Encounter', status: 'finished', period: { end: '2026-03-02T18:00:00.000Z' } });
    const sd = eventToFhir({ id: 's', type: 'supply.consumed', occurredAt: '2026-03-02T08:00:00.000Z', correlation: {}, data: { id: 'INV-1', kind: 'consume', occurredAt: '2026-03-02T08:00:00.000Z', location: 'OR-2', item: { sku: 'G' }, quantity: '3', uom: 'EA' } });
    expect(sd.resourceType).toBe('SupplyDelivery');
  });

  it('refuses other event types and non-events with a coded error', () => {
    expect(() => eventToFhir({ id: 'x', type: 'cost.posted', occurredAt: '2026-03-02T08:00:00.000Z', correlation: {}, data: {} })).toThrow(/no FHIR mapping for cost.posted/);
    expect(() => eventToFhir('nope')).toThrow(/canonical event/);
  });
});
