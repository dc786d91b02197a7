import type { ChargeItem, Device, Procedure, SupplyDelivery } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { formatHibcc } from '../codecs/udi/index.js';
import { CanonicalEvent, ChargeEvent, InventoryMovement } from '../canonical/index.js';
import { fhirChargeItemToCharge, fhirSupplyDeliveryToMovement, mapFhirDeviceImplants } from './fhir-inbound.js';
import { corpusJson, corpusPresent, thrown } from './test-support.js';

const now = new Date('2025-06-01T00:00:00Z');
const procedure: Procedure = {
  resourceType: 'Procedure', id: 'p1', status: 'completed', subject: { reference: 'Patient/x', identifier: { value: 'MRN-1' } },
  encounter: { reference: 'Encounter/V-1' }, performedDateTime: '2025-03-01T09:45:00-05:00',
  code: { coding: [{ system: 'http://snomed.info/sct', code: '25267002' }] },
  focalDevice: [{ action: { coding: [{ code: 'implanted' }] }, manipulated: { reference: 'Device/d1' } }],
};
const device: Device = { resourceType: 'Device', id: 'd1', udiCarrier: [{ carrierHRF: '(01)00884423456787(17)270630(10)LOT7781(21)SN0042' }] };

describe('FHIR Procedure.focalDevice + Device.udiCarrier → device.implanted', () => {
  it('GS1 carrier', () => {
    const [ev] = mapFhirDeviceImplants(procedure, [device], { now });
    expect(CanonicalEvent.parse(ev).type).toBe('device.implanted');
    expect(ev.data).toMatchObject({ issuer: 'GS1', gtin: '00884423456787', lot: 'LOT7781', serial: 'SN0042', encounter: 'V-1', patientMrn: 'MRN-1', usedAt: '2025-03-01T09:45:00-05:00' });
  });

  it('HIBCC carrier in a contained Device', () => {
    const hrf = formatHibcc({ lic: 'A123', pcn: 'KNEE5000', uom: '1', lot: 'HLOT55', serial: 'HSER9' });
    const p: Procedure = { ...procedure, contained: [{ resourceType: 'Device', id: 'c1', udiCarrier: [{ carrierHRF: hrf }] }], focalDevice: [{ manipulated: { reference: '#c1' } }] };
    const [ev] = mapFhirDeviceImplants(p, [], { now });
    expect(ev.data).toMatchObject({ issuer: 'HIBCC', di: 'A123KNEE50001', lot: 'HLOT55', serial: 'HSER9' });
  });

  it('errors name the FHIRPath', () => {
    expect(thrown(() => mapFhirDeviceImplants({ ...procedure, focalDevice: [] }, [device])).location).toBe('Procedure.focalDevice');
    expect(thrown(() => mapFhirDeviceImplants(procedure, [])).location).toBe('Procedure.focalDevice[0].manipulated');
    expect(thrown(() => mapFhirDeviceImplants(procedure, [{ ...device, udiCarrier: [] }])).location).toBe('Device.udiCarrier[0].deviceIdentifier');
    const bad = thrown(() => mapFhirDeviceImplants(procedure, [{ ...device, udiCarrier: [{ carrierHRF: '(01)00884423456780' }] }]));
    expect([bad.code, bad.location]).toEqual(['mapping.field.invalid', 'Device.udiCarrier[0].carrierHRF']);
  });
});

describe.skipIf(!corpusPresent)('FHIR corpus examples', () => {
  it('Procedure-example-implant + Device-example: the example Device has no udiCarrier, so mapping names it', () => {
    const p = corpusJson<Procedure>('fhir/r4/Procedure-example-implant.json');
    const d = corpusJson<Device>('fhir/r4/Device-example.json');
    // the example points at Device/example-pacemaker, which is not in the corpus
    expect(thrown(() => mapFhirDeviceImplants(p, [d])).location).toBe('Procedure.focalDevice[0].manipulated');
    const e = thrown(() => mapFhirDeviceImplants(p, [{ ...d, id: 'example-pacemaker' }]));
    expect([e.code, e.location]).toEqual(['mapping.field.missing', 'Device.udiCarrier[0].deviceIdentifier']);
    // the same procedure with a UDI-bearing device maps
    const [ev] = mapFhirDeviceImplants(p, [{ ...d, id: 'example-pacemaker', udiCarrier: device.udiCarrier }], { now });
    expect(ev.data).toMatchObject({ procedureCode: { code: '25267002' }, usedAt: '2015-04-05', action: 'implanted' });
  });

  it('ChargeItem-example → ChargeEvent', () => {
    const c = fhirChargeItemToCharge(corpusJson<ChargeItem>('fhir/r4/ChargeItem-example.json'));
    expect(ChargeEvent.parse(c)).toMatchObject({ id: '654321', code: { code: '01510' }, quantity: '1', extendedAmount: { amount: '40', currency: 'EUR' }, serviceDate: '2017-01-25T08:00:00+01:00', encounter: 'example', department: 'CARD_INTERMEDIATE_CARE' });
  });

  it('SupplyDelivery-simpledelivery → receive movement; pumpdelivery lacks suppliedItem', () => {
    const m = fhirSupplyDeliveryToMovement(corpusJson<SupplyDelivery>('fhir/r4/SupplyDelivery-simpledelivery.json'));
    expect(InventoryMovement.parse(m)).toMatchObject({ id: 'Order10284', kind: 'receive', item: { sku: 'BlueTubes' }, quantity: '10', location: 'Location 1', occurredAt: '2016-12-31' });
    const e = thrown(() => fhirSupplyDeliveryToMovement(corpusJson<SupplyDelivery>('fhir/r4/SupplyDelivery-pumpdelivery.json')));
    expect([e.code, e.location]).toEqual(['mapping.field.missing', 'SupplyDelivery.suppliedItem']);
  });
});
