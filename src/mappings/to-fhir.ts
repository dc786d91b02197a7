import { createHash } from 'node:crypto';
import type { ChargeItem, Device, Money as FhirMoney, Procedure as FhirProcedure, SupplyDelivery } from '@medplum/fhirtypes';
import type { ChargeEvent, DeviceUse, InventoryMovement, Procedure } from '../canonical/index.js';
import { Systems } from '../canonical/index.js';

/** Deterministic UUID (name-based, SHA-1, RFC 4122 v5 layout) so the same input yields the same FHIR ids. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Canonical Procedure → FHIR Procedure. */
export function procedureToFhir(p: Procedure, refs: { patient?: string; encounter?: string } = {}, id = stableUuid(`Procedure|${p.id}`)): FhirProcedure {
  return {
    resourceType: 'Procedure', id, status: p.status === 'in-progress' ? 'in-progress' : p.status === 'unknown' ? 'unknown' : 'completed',
    code: { coding: [{ code: p.code.code, ...(p.code.system ? { system: p.code.system } : {}), ...(p.code.display ? { display: p.code.display } : {}) }] },
    subject: { reference: refs.patient ?? 'Patient/unknown' },
    ...(refs.encounter ? { encounter: { reference: refs.encounter } } : {}),
    ...(p.performedAt ? { performedDateTime: p.performedAt } : {}),
  };
}

/** DeviceUse → FHIR Device with udiCarrier (GS1 or HIBCC issuer URI). */
export function deviceUseToFhirDevice(u: DeviceUse, patientRef?: string, id = stableUuid(`Device|${u.id}`)): Device {
  const issuer = u.issuer === 'GS1' ? 'http://hl7.org/fhir/NamingSystem/gs1-di' : u.issuer === 'HIBCC' ? 'http://hl7.org/fhir/NamingSystem/hibcc-dI' : u.issuer === 'ICCBBA' ? 'http://hl7.org/fhir/NamingSystem/iccbba-other-di' : undefined;
  return {
    resourceType: 'Device', id,
    udiCarrier: [{ deviceIdentifier: u.di, ...(issuer ? { issuer } : {}), ...(u.udi ? { carrierHRF: u.udi } : {}), entryType: 'barcode' }],
    ...(u.lot ? { lotNumber: u.lot } : {}),
    ...(u.serial ? { serialNumber: u.serial } : {}),
    ...(u.expiry ? { expirationDate: u.expiry } : {}),
    ...(patientRef ? { patient: { reference: patientRef } } : {}),
  };
}

/** A Procedure resource naming the implanted device in focalDevice (for a DeviceUse tied to a procedure). */
export function deviceUseToFhirProcedure(u: DeviceUse, deviceRef: string, refs: { patient?: string; encounter?: string } = {}): FhirProcedure {
  return {
    resourceType: 'Procedure', id: stableUuid(`Procedure|${u.procedure ?? u.id}`), status: 'completed',
    ...(u.procedureCode ? { code: { coding: [{ code: u.procedureCode.code, ...(u.procedureCode.system ? { system: u.procedureCode.system } : {}), ...(u.procedureCode.display ? { display: u.procedureCode.display } : {}) }] } } : {}),
    subject: { reference: refs.patient ?? 'Patient/unknown' },
    ...(refs.encounter ? { encounter: { reference: refs.encounter } } : {}),
    ...(u.usedAt ? { performedDateTime: u.usedAt } : {}),
    focalDevice: [{ action: { coding: [{ system: 'http://hl7.org/fhir/device-action', code: u.action }] }, manipulated: { reference: deviceRef } }],
  };
}

/**
 * ChargeEvent → FHIR ChargeItem. FHIR decimals are JSON numbers: amounts are converted only here,
 * at the wire edge (Number of a 2–4 place decimal string is exact enough for display and billing
 * systems that re-round; the canonical value stays a string).
 */
export function chargeToFhir(c: ChargeEvent, refs: { patient?: string; encounter?: string } = {}, id = stableUuid(`ChargeItem|${c.id}`)): ChargeItem {
  return {
    resourceType: 'ChargeItem', id,
    identifier: [{ system: 'urn:loom:charge', value: c.id }],
    status: c.kind === 'credit' ? 'entered-in-error' : 'billable',
    code: { coding: [{ code: c.code.code, ...(c.code.system ? { system: c.code.system } : {}), ...(c.code.display ? { display: c.code.display } : {}) }, ...(c.procedureCode && c.procedureCode.code !== c.code.code ? [{ code: c.procedureCode.code, ...(c.procedureCode.system ? { system: c.procedureCode.system } : {}) }] : [])] },
    subject: { reference: refs.patient ?? 'Patient/unknown' },
    ...(refs.encounter ? { context: { reference: refs.encounter } } : {}),
    occurrenceDateTime: c.serviceDate,
    quantity: { value: Number(c.quantity) },
    ...(c.extendedAmount ? { priceOverride: { value: Number(c.extendedAmount.amount), currency: c.extendedAmount.currency as FhirMoney['currency'] } } : {}),
    ...(c.department ? { performingOrganization: { identifier: { value: c.department } } } : {}),
  };
}

/** InventoryMovement → FHIR SupplyDelivery (receive/transfer/consume all record a delivered item). */
export function movementToSupplyDelivery(m: InventoryMovement, id = stableUuid(`SupplyDelivery|${m.id}`)): SupplyDelivery {
  const coding = m.item.gtin ? { system: Systems.gtin, code: m.item.gtin } : m.item.hibccDi ? { system: Systems.hibcc, code: m.item.hibccDi } : { system: 'urn:loom:sku', code: m.item.sku ?? '' };
  return {
    resourceType: 'SupplyDelivery', id,
    identifier: [{ system: 'urn:loom:movement', value: m.id }],
    status: 'completed',
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/supply-item-type', code: 'device' }] },
    suppliedItem: { quantity: { value: Number(m.quantity), unit: m.uom }, itemCodeableConcept: { coding: [coding] } },
    occurrenceDateTime: m.occurredAt,
    destination: { display: m.kind === 'transfer' && m.toLocation ? m.toLocation : m.location },
    ...(m.patientMrn ? { patient: { identifier: { value: m.patientMrn } } } : {}),
  };
}
