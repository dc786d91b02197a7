import type { Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateFhir } from '../codecs/fhir/index.js';
import type { ChargeEvent, DeviceUse, Encounter, InventoryMovement, Procedure } from '../canonical/index.js';
import { fhirChargeItemToCharge, fhirSupplyDeliveryToMovement } from './fhir-inbound.js';
import { chargeToFhir, deviceUseToFhirDevice, movementToSupplyDelivery, procedureToFhir, stableUuid } from './to-fhir.js';
import { encounterToFhir } from './to-fhir-person.js';

// Indexing the R4 definitions takes seconds on a busy machine: do it once, under the hook timeout.
beforeAll(() => { validateFhir({ resourceType: 'Patient' }); });

const valid = (r: Resource) => expect(validateFhir(r).errors.map((e) => e.message)).toEqual([]);

describe('canonical → FHIR R4', () => {
  it('Encounter: visit number identifier, period, disposition, valid', () => {
    const e: Encounter = { visitNumber: { value: 'V-1', type: 'VN', system: 'MAIN' }, status: 'finished', class: 'I', admittedAt: '2025-03-01T08:00:00-05:00', dischargedAt: '2025-03-03T11:30:00-05:00', disposition: { code: '01', display: 'Home' } };
    const r = encounterToFhir(e, 'Patient/p1');
    expect(r).toMatchObject({ status: 'finished', class: { code: 'IMP' }, period: { end: '2025-03-03T11:30:00-05:00' }, identifier: [{ value: 'V-1', system: 'urn:loom:id:MAIN' }] });
    valid(r);
  });

  it('Procedure and Device with GS1 udiCarrier are valid', () => {
    const p: Procedure = { id: 'V-1/PR1', code: { code: '27447', system: 'http://www.ama-assn.org/go/cpt' }, performedAt: '2025-03-01T09:45:00-05:00', status: 'completed' };
    valid(procedureToFhir(p, { patient: 'Patient/p1', encounter: 'Encounter/e1' }));
    const u: DeviceUse = { id: 'd', issuer: 'GS1', di: '00884423456787', gtin: '00884423456787', lot: 'L', serial: 'S', expiry: '2027-06-30', action: 'implanted', udi: '(01)00884423456787(10)L(21)S' };
    const d = deviceUseToFhirDevice(u, 'Patient/p1');
    expect(d.udiCarrier?.[0]).toMatchObject({ deviceIdentifier: '00884423456787', carrierHRF: '(01)00884423456787(10)L(21)S' });
    valid(d);
  });

  it('ChargeItem round-trips code, quantity, amount and kind', () => {
    const c: ChargeEvent = { id: 'V-1/TX-1', kind: 'charge', transactionType: 'CG', code: { code: 'C1776' }, serviceDate: '2025-03-01', quantity: '2', extendedAmount: { amount: '8400.00', currency: 'USD' } };
    const r = chargeToFhir(c, { patient: 'Patient/p1', encounter: 'Encounter/e1' });
    valid(r);
    expect(fhirChargeItemToCharge(r)).toMatchObject({ id: 'V-1/TX-1', kind: 'charge', code: { code: 'C1776' }, quantity: '2', extendedAmount: { amount: '8400', currency: 'USD' }, encounter: 'e1' });
    expect(chargeToFhir({ ...c, kind: 'credit' }).status).toBe('entered-in-error');
  });

  it('SupplyDelivery round-trips item, quantity, location', () => {
    const m: InventoryMovement = { id: 'gr-1', kind: 'receive', occurredAt: '2025-03-02T07:00:00Z', location: 'MAIN-DOCK', item: { gtin: '00884423456787' }, quantity: '4', uom: 'EA' };
    const r = movementToSupplyDelivery(m);
    valid(r);
    expect(fhirSupplyDeliveryToMovement(r)).toEqual({ ...m });
  });

  it('stableUuid is a deterministic RFC 4122 v5-shaped id', () => {
    expect(stableUuid('x')).toBe(stableUuid('x'));
    expect(stableUuid('x')).not.toBe(stableUuid('y'));
    expect(stableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
