import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseUdi } from '../udi/index.js';
import { getFhir, parseFhir, splitBundle, validateFhir } from './index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const text = readFileSync(path.join(repoRoot, 'test/fixtures/fhir/implant-procedure-bundle.json'), 'utf8');

describe('implant procedure bundle fixture', () => {
  it('validates clean, splits, and yields a UDI that the UDI codec reads', () => {
    const bundle = parseFhir(text);
    expect(validateFhir(bundle).errors).toEqual([]);
    const entries = splitBundle(bundle);
    expect(entries.map((e) => `${e.request?.method} ${e.resource?.resourceType}`)).toEqual(['POST Device', 'PUT Patient', 'POST Procedure']);
    const device = entries[0]?.resource;
    if (!device) throw new Error('no device entry');
    const hrf = getFhir(device, 'Device.udiCarrier.carrierHRF');
    expect(hrf).toBeDefined();
    const udi = parseUdi(hrf ?? '', { now: new Date('2026-06-15') });
    expect(udi).toMatchObject({ gtin: getFhir(device, 'Device.udiCarrier.deviceIdentifier'), lot: getFhir(device, 'Device.lotNumber'),
      serial: getFhir(device, 'Device.serialNumber'), expiry: getFhir(device, 'Device.expirationDate') });
  }, 20_000);
});
