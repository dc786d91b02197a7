import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLoom } from '../../src/app/index.js';
import { authHeaders } from '../support/auth.js';
import { startTestLoom } from '../support/loom.js';
import { eventually } from '../support/receiver.js';

let loom: RunningLoom;

beforeAll(async () => {
  ({ loom } = await startTestLoom(
    `  - name: devices
    inbound: { kind: http }
    contentType: fhir
    destinations:
      - { name: fhir, kind: fhir-store }
`,
  ));
});

afterAll(async () => {
  await loom?.stop();
});

const device = {
  resourceType: 'Device',
  id: 'implant-1',
  status: 'active',
  udiCarrier: [{ deviceIdentifier: '00884838094581', carrierHRF: '(01)00884838094581(17)271231(10)LOT7(21)SN7' }],
  lotNumber: 'LOT7',
  serialNumber: 'SN7',
  patient: { reference: 'Patient/p1' },
};

describe("Loom's FHIR R4 endpoint fed by a channel", () => {
  it('stores what a channel delivers to fhir-store and serves it by read and search', async () => {
    // the Device's patient travels in the same transaction: a reference that resolves nowhere is refused
    const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [
      { resource: { resourceType: 'Patient', id: 'p1', identifier: [{ value: 'MRN-1' }] }, request: { method: 'PUT', url: 'Patient/p1' } },
      { resource: device, request: { method: 'PUT', url: 'Device/implant-1' } },
    ] };
    const response = await fetch(`${loom.url}/api/v1/channels/devices/messages`, {
      method: 'POST',
      headers: { ...authHeaders(), 'content-type': 'application/fhir+json' },
      body: JSON.stringify(bundle),
    });
    expect(response.status).toBe(202);
    await eventually(async () => (await fetch(`${loom.url}/fhir/R4/Device/implant-1`, { headers: authHeaders() })).status === 200, 15_000, 'the Device in the FHIR store');
    const read = (await (await fetch(`${loom.url}/fhir/R4/Device/implant-1`, { headers: authHeaders() })).json()) as { lotNumber: string; meta: { versionId: string } };
    expect(read.lotNumber).toBe('LOT7');
    const search = (await (await fetch(`${loom.url}/fhir/R4/Device?patient=Patient/p1`, { headers: authHeaders() })).json()) as { resourceType: string; total: number };
    expect(search).toMatchObject({ resourceType: 'Bundle', total: 1 });
    const missing = await fetch(`${loom.url}/fhir/R4/Device/nope`, { headers: authHeaders() });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });
});
