import type { Bundle, ChargeItem, Device, Encounter, Location, Patient, Practitioner, Procedure, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { eventToFhir } from './events-to-fhir.js';

function resourceOf<T extends Resource>(b: Bundle, type: T['resourceType']): T {
  const hit = (b.entry ?? []).map((e) => e.resource).find((r): r is T => r?.resourceType === type);
  if (!hit) throw new Error(`no ${type} in the bundle`);
  return hit;
}

const implant = (id: string) => ({
  id: `device.implanted/${id}`, type: 'device.implanted', occurredAt: '2026-03-02T09:00:00.000Z', version: 'v1', correlation: { encounter: 'V1', patient: 'MRN1' },
  data: { id, issuer: 'GS1', di: '00884521100025', lot: 'L1', serial: 'S1', expiry: '2028-01-31', action: 'implanted', encounter: 'V1', patientMrn: 'MRN1' },
});

describe('events-to-fhir', () => {
  it('maps device.implanted to a transaction of Device + Procedure keyed by DI and serial, not the message id', () => {
    const a = eventToFhir(implant('V1/00884521100025/S1'));
    const b = eventToFhir(implant('another-source-id'));
    expect(a.type).toBe('transaction');
    const device = resourceOf<Device>(a, 'Device');
    expect(device).toMatchObject({ resourceType: 'Device', lotNumber: 'L1', serialNumber: 'S1', expirationDate: '2028-01-31' });
    expect(device.udiCarrier?.[0].deviceIdentifier).toBe('00884521100025');
    expect(device.patient?.reference).toMatch(/^Patient\//);
    expect(resourceOf<Device>(b, 'Device').id).toBe(device.id);
    const proc = resourceOf<Procedure>(a, 'Procedure');
    expect(proc.focalDevice?.[0].manipulated.reference).toBe(`Device/${device.id ?? ''}`);
    expect(a.entry?.find((e) => e.resource === device)?.request).toEqual({ method: 'PUT', url: `Device/${device.id ?? ''}` });
  });

  it('maps charge.captured, encounter.discharged and supply.consumed', () => {
    const charge = resourceOf<ChargeItem>(eventToFhir({ id: 'c', type: 'charge.captured', occurredAt: '2026-03-02T09:00:00.000Z', correlation: {}, data: { id: 'V1/1', kind: 'debit', serviceDate: '2026-03-02T09:00:00.000Z', code: { code: 'X' }, quantity: '2', encounter: 'V1', patientMrn: 'MRN1' } }), 'ChargeItem');
    expect(charge).toMatchObject({ resourceType: 'ChargeItem', status: 'billable', quantity: { value: 2 } });
    const enc = resourceOf<Encounter>(eventToFhir({ id: 'e', type: 'encounter.discharged', occurredAt: '2026-03-02T18:00:00.000Z', correlation: {}, data: { visitNumber: { value: 'V1' }, status: 'in-progress' } }), 'Encounter');
    expect(enc).toMatchObject({ resourceType: 'Encounter', status: 'finished', period: { end: '2026-03-02T18:00:00.000Z' } });
    const sd = eventToFhir({ id: 's', type: 'supply.consumed', occurredAt: '2026-03-02T08:00:00.000Z', correlation: {}, data: { id: 'INV-1', kind: 'consume', occurredAt: '2026-03-02T08:00:00.000Z', location: 'OR-2', item: { sku: 'G' }, quantity: '3', uom: 'EA' } });
    expect(sd.entry?.map((e) => e.resource?.resourceType)).toEqual(['SupplyDelivery']);
  });

  it('writes the Patient and Encounter a charge references as create-only stubs, so its references resolve', () => {
    const b = eventToFhir({ id: 'c', type: 'charge.captured', occurredAt: '2026-03-02T09:00:00.000Z', correlation: {}, data: { id: 'V1/1', kind: 'debit', serviceDate: '2026-03-02T09:00:00.000Z', code: { code: 'X' }, quantity: '2', encounter: 'V1', patientMrn: 'MRN1' } });
    const stubs = (b.entry ?? []).filter((e) => e.request?.ifNoneMatch === '*').map((e) => `${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`);
    const charge = resourceOf<ChargeItem>(b, 'ChargeItem');
    expect(stubs).toEqual([charge.subject.reference, charge.context?.reference]);
    expect(resourceOf<Patient>(b, 'Patient').identifier).toEqual([{ value: 'MRN1', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] } }]);
  });

  it('encounter.discharged carries its attending Practitioner and Location, referenced from the Encounter', () => {
    const b = eventToFhir({
      id: 'e', type: 'encounter.discharged', occurredAt: '2026-03-02T18:00:00.000Z', correlation: { patient: 'MRN1' },
      data: { visitNumber: { value: 'V1', system: 'MAIN' }, status: 'finished', patientMrn: 'MRN1', location: { pointOfCare: '4W', room: '401', bed: 'B' }, attending: { id: { value: '1234' }, name: { family: 'HOUSE', given: ['GREGORY'] } } },
    }, { systemFor: (id) => (id.system === 'MAIN' ? 'https://hospital.example.org/sid/visit' : undefined) });
    const enc = resourceOf<Encounter>(b, 'Encounter');
    const practitioner = resourceOf<Practitioner>(b, 'Practitioner');
    const location = resourceOf<Location>(b, 'Location');
    expect(enc.participant?.[0]?.individual?.reference).toBe(`Practitioner/${practitioner.id ?? ''}`);
    expect(enc.location?.[0]?.location.reference).toBe(`Location/${location.id ?? ''}`);
    expect(enc.subject?.reference).toBe(`Patient/${resourceOf<Patient>(b, 'Patient').id ?? ''}`);
    expect(enc.identifier?.[0]?.system).toBe('https://hospital.example.org/sid/visit');
    expect(practitioner.name?.[0]?.family).toBe('HOUSE');
    expect(location.name).toBe('4W 401 B');
  });

  it('refuses other event types and non-events with a coded error', () => {
    expect(() => eventToFhir({ id: 'x', type: 'cost.posted', occurredAt: '2026-03-02T08:00:00.000Z', correlation: {}, data: {} })).toThrow(/no FHIR mapping for cost.posted/);
    expect(() => eventToFhir('nope')).toThrow(/canonical event/);
  });
});
