// Event builders for the process tests (not exported from the public face).
import type { EventOf } from '../canonical/index.js';
import { processCatalogFrom, type CatalogLike } from './catalog.js';

export const items: CatalogLike[] = [
  { sku: 'IMP-HIP', description: 'Hip stem', gtin: '00884521100018', hibcc: { lic: 'H124', pcn: 'HIPSTEM4', uom: '1' }, uom: 'EA', implant: true,
    contractPrice: 1850, chargeCode: 'C1776-HIP', chargePrice: 5200, costCenter: 'Surgery - LH', vendor: 'VENDOR-A', par: 4, initialStock: 6 },
  { sku: 'IMP-PACER', description: 'Pacemaker', gtin: '00761234200016', uom: 'EA', implant: true,
    contractPrice: 4800, chargeCode: 'C1785-PM', chargePrice: 14500, costCenter: 'Cardiology - LH', vendor: 'VENDOR-B', par: 2, initialStock: 3 },
  { sku: 'SUP-GAUZE', description: 'Gauze', gtin: '00761234300020', uom: 'EA', implant: false,
    contractPrice: 1.1, chargeCode: 'SUP-GAU', chargePrice: 6, costCenter: 'Main - LH', vendor: 'VENDOR-B', par: 120, initialStock: 150 },
];
export const catalog = processCatalogFrom(items);
export const HIP = items[0];
export const PACER = items[1];

export function implanted(encounter: string, gtin: string, lot: string, serial: string, at = '2025-03-01T10:00:00Z', di?: string): EventOf<'device.implanted'> {
  const id = `${encounter}/${di ?? gtin}/${serial}`;
  return {
    id: `device.implanted/${id}`, type: 'device.implanted', occurredAt: at, version: 'v1',
    correlation: { encounter, item: di ?? gtin, lot, serial },
    data: { id, issuer: di ? 'HIBCC' : 'GS1', di: di ?? gtin, ...(di ? {} : { gtin }), lot, serial, usedAt: at, action: 'implanted', encounter, patientMrn: 'MRN1',
      procedure: `${encounter}/PR1`, procedureCode: { code: '27130' } },
  };
}

export function consumed(encounter: string | undefined, gtin: string, lot: string | undefined, serial: string | undefined, eventId: string, at = '2025-03-01T10:05:00Z', location = 'OR-1', kind: 'consume' | 'receive' = 'consume', quantity = '1'): EventOf<'supply.consumed'> {
  return {
    id: `supply.consumed/${eventId}`, type: 'supply.consumed', occurredAt: at, version: 'v1',
    correlation: { ...(encounter ? { encounter } : {}), item: gtin, ...(lot ? { lot } : {}), ...(serial ? { serial } : {}) },
    data: { id: eventId, kind, occurredAt: at, location, item: { gtin }, ...(lot ? { lot } : {}), ...(serial ? { serial } : {}), quantity, uom: 'EA', ...(encounter ? { encounter } : {}) },
  };
}

export function discharged(encounter: string, at = '2025-03-01T18:00:00Z', id = `encounter.discharged/${encounter}`): EventOf<'encounter.discharged'> {
  return { id, type: 'encounter.discharged', occurredAt: at, version: 'v1', correlation: { encounter },
    data: { visitNumber: { value: encounter }, status: 'finished', dischargedAt: at } };
}

export function dischargeCancelled(encounter: string, at = '2025-03-01T18:30:00Z'): EventOf<'encounter.discharge-cancelled'> {
  return { id: `encounter.discharge-cancelled/${encounter}/${at}`, type: 'encounter.discharge-cancelled', occurredAt: at, version: 'v1', correlation: { encounter },
    data: { visitNumber: { value: encounter }, status: 'in-progress' } };
}
