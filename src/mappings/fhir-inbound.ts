import type { ChargeItem, Device, Procedure as FhirProcedure, SupplyDelivery } from '@medplum/fhirtypes';
import { parseUdi } from '../codecs/udi/index.js';
import type { ChargeEvent, DeviceUse, EventOf, InventoryMovement } from '../canonical/index.js';
import { ChargeEvent as ChargeEventSchema, DeviceUse as DeviceUseSchema, InventoryMovement as MovementSchema } from '../canonical/index.js';
import { fieldInvalid, fieldMissing } from './errors.js';
import { deviceImplantedEvent } from './hl7-device-use.js';

function refId(ref: string | undefined): string | undefined {
  return ref?.split('/').pop();
}

/**
 * FHIR R4 Procedure.focalDevice (action implanted) + Device.udiCarrier → DeviceUse per device,
 * wrapped as `device.implanted`. `devices` holds the Device resources the procedure points to
 * (contained or from the same bundle). Errors name the FHIRPath of the missing element.
 *
 * @example
 * mapFhirDeviceImplants(procedure, [device]) // [{ type: 'device.implanted', data: { di, lot, serial } }]
 */
export function mapFhirDeviceImplants(procedure: FhirProcedure, devices: Device[], options: { now?: Date } = {}): EventOf<'device.implanted'>[] {
  const focal = procedure.focalDevice ?? [];
  if (focal.length === 0) throw fieldMissing('Procedure.focalDevice', 'focal device', 'list the implanted device in Procedure.focalDevice.manipulated');
  const pool = [...devices, ...((procedure.contained ?? []).filter((r): r is Device => r.resourceType === 'Device'))];
  const encounter = refId(procedure.encounter?.reference);
  const patient = procedure.subject?.identifier?.value ?? refId(procedure.subject?.reference);
  const performedAt = procedure.performedDateTime ?? procedure.performedPeriod?.start;
  const coding = procedure.code?.coding?.[0];
  return focal.map((f, i) => {
    const at = `Procedure.focalDevice[${i}]`;
    const action = f.action?.coding?.[0]?.code ?? 'implanted';
    const ref = f.manipulated?.reference;
    const id = refId(ref);
    const device = pool.find((d) => d.id === id || `#${d.id ?? ''}` === ref);
    if (device === undefined) throw fieldMissing(`${at}.manipulated`, `Device ${ref ?? '(no reference)'}`, 'include the referenced Device resource (bundle entry or contained) with its udiCarrier');
    const carrier = device.udiCarrier?.[0];
    const hrf = carrier?.carrierHRF;
    let parsed: ReturnType<typeof parseUdi> | undefined;
    if (hrf !== undefined) {
      try { parsed = parseUdi(hrf, options.now ? { now: options.now } : {}); } catch (err) {
        throw fieldInvalid('Device.udiCarrier[0].carrierHRF', 'UDI carrier', hrf, 'send the human-readable UDI as printed, e.g. (01)...(17)...(10)...', err);
      }
    }
    const di = parsed?.di ?? carrier?.deviceIdentifier;
    if (di === undefined) throw fieldMissing('Device.udiCarrier[0].deviceIdentifier', `UDI of Device/${device.id ?? '?'}`, 'send Device.udiCarrier with carrierHRF or deviceIdentifier');
    const issuer: DeviceUse['issuer'] = parsed?.issuer ?? (carrier?.issuer?.includes('gs1') ? 'GS1' : carrier?.issuer?.includes('hibcc') ? 'HIBCC' : 'unknown');
    const lot = parsed?.lot ?? device.lotNumber;
    const serial = parsed?.serial ?? device.serialNumber;
    const expiry = parsed?.expiry ?? device.expirationDate?.slice(0, 10);
    const use = DeviceUseSchema.parse({
      id: `${encounter ?? patient ?? procedure.id ?? 'procedure'}/${di}/${serial ?? lot ?? `#${i + 1}`}`,
      ...(hrf ? { udi: hrf } : {}),
      issuer, di,
      ...((parsed?.gtin ?? (issuer === 'GS1' ? di : undefined)) ? { gtin: parsed?.gtin ?? di } : {}),
      ...(lot ? { lot } : {}), ...(serial ? { serial } : {}), ...(expiry ? { expiry } : {}),
      ...(performedAt ? { usedAt: performedAt } : {}),
      action: action === 'explanted' ? 'explanted' : action === 'implanted' ? 'implanted' : 'used',
      ...(procedure.id ? { procedure: procedure.id } : {}),
      ...(coding?.code ? { procedureCode: { code: coding.code, ...(coding.system ? { system: coding.system } : {}), ...(coding.display ? { display: coding.display } : {}) } } : {}),
      ...(encounter ? { encounter } : {}), ...(patient ? { patientMrn: patient } : {}),
    });
    return deviceImplantedEvent(use, performedAt ?? procedure.meta?.lastUpdated ?? '1970-01-01');
  });
}

/**
 * FHIR R4 ChargeItem → canonical ChargeEvent. Status `entered-in-error` maps to a credit.
 *
 * @example
 * fhirChargeItemToCharge(chargeItem).code.code // ChargeItem.code.coding[0].code
 */
export function fhirChargeItemToCharge(item: ChargeItem): ChargeEvent {
  const coding = item.code?.coding?.[0];
  if (coding?.code === undefined) throw fieldMissing('ChargeItem.code.coding[0].code', 'charge code', 'send the charge master code in ChargeItem.code');
  const serviceDate = item.occurrenceDateTime ?? item.occurrencePeriod?.start ?? item.enteredDate;
  if (serviceDate === undefined) throw fieldMissing('ChargeItem.occurrence[x]', 'service date', 'send occurrenceDateTime or occurrencePeriod.start');
  const price = item.priceOverride;
  return ChargeEventSchema.parse({
    id: item.identifier?.[0]?.value ?? item.id ?? 'chargeitem',
    kind: item.status === 'entered-in-error' ? 'credit' : 'charge',
    transactionType: item.status === 'entered-in-error' ? 'CD' : 'CG',
    code: { code: coding.code, ...(coding.system ? { system: coding.system } : {}), ...(coding.display ? { display: coding.display } : {}) },
    serviceDate,
    quantity: String(item.quantity?.value ?? 1),
    // FHIR decimals arrive as JSON numbers; String() keeps the written digits for normal amounts
    ...(price?.value !== undefined ? { extendedAmount: { amount: String(price.value), currency: price.currency ?? 'USD' } } : {}),
    ...(refId(item.context?.reference) ? { encounter: refId(item.context?.reference) } : {}),
    ...(item.subject?.identifier?.value ? { patientMrn: item.subject.identifier.value } : {}),
    ...(item.performingOrganization?.identifier?.value ? { department: item.performingOrganization.identifier.value } : {}),
  });
}

/**
 * FHIR R4 SupplyDelivery → InventoryMovement (`receive` at the destination).
 *
 * @example
 * fhirSupplyDeliveryToMovement(delivery).quantity // suppliedItem.quantity.value as text
 */
export function fhirSupplyDeliveryToMovement(delivery: SupplyDelivery): InventoryMovement {
  const si = delivery.suppliedItem;
  if (si === undefined) throw fieldMissing('SupplyDelivery.suppliedItem', 'supplied item', 'send suppliedItem with quantity and itemCodeableConcept or itemReference');
  const coding = si.itemCodeableConcept?.coding?.[0];
  const code = coding?.code ?? refId(si.itemReference?.reference);
  if (code === undefined) throw fieldMissing('SupplyDelivery.suppliedItem.item[x]', 'item', 'send itemCodeableConcept.coding or itemReference');
  const location = delivery.destination?.identifier?.value ?? refId(delivery.destination?.reference) ?? delivery.destination?.display;
  if (location === undefined) throw fieldMissing('SupplyDelivery.destination', 'destination location', 'send destination');
  const occurredAt = delivery.occurrenceDateTime ?? delivery.occurrencePeriod?.start;
  if (occurredAt === undefined) throw fieldMissing('SupplyDelivery.occurrence[x]', 'delivery time', 'send occurrenceDateTime');
  const gtin = coding?.system === 'https://www.gs1.org/gtin' || coding?.system === 'urn:oid:1.3.160' ? code : undefined;
  return MovementSchema.parse({
    id: delivery.identifier?.[0]?.value ?? delivery.id ?? 'supplydelivery',
    kind: 'receive',
    occurredAt,
    location,
    item: gtin ? { gtin } : { sku: code },
    quantity: String(si.quantity?.value ?? 1),
    uom: si.quantity?.code ?? si.quantity?.unit ?? 'EA',
  });
}
