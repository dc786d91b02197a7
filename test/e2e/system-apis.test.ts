import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDay, startEhrSimulator, startErpSimulator, type EhrSimulator, type ErpSimulator } from '../../src/simulators/index.js';
import { authHeaders } from '../support/auth.js';
import { startTestLoom, type TestLoom } from '../support/loom.js';

// Loom fronts the ERP's suppliers (token auth behind, cached, emptied by master-data events) and
// the EHR's FHIR reads (uncached) as its own routes.
const CHANNELS = `  - name: supplier-events
    inbound: { kind: http }
    contentType: json
`;
const HEADER = `store: { dataDir: ./data }
systemApis:
  - name: erp-suppliers
    system: erp
    baseUrl: \${env:ERP_URL}/api/resource/Supplier
    auth: { header: Authorization, value: "\${env:ERP_TOKEN}" }
    query: { fields: '["*"]' }
    passQuery: [limit_page_length]
    cache: { ttl: 5m, invalidatedBy: [supplier-events] }
  - name: ehr-fhir
    system: ehr
    baseUrl: \${env:EHR_FHIR_URL}
    allow: [Patient, Patient/*, Procedure]
    passQuery: ['*']`;

let t: TestLoom;
let erp: ErpSimulator;
let ehr: EhrSimulator;
const api = (p: string, init: RequestInit = {}) => fetch(`${t.loom.url}/api/v1${p}`, { ...init, headers: authHeaders((init.headers as Record<string, string> | undefined) ?? {}) });

beforeAll(async () => {
  erp = await startErpSimulator();
  ehr = await startEhrSimulator({});
  ehr.addCases(generateDay({ seed: 7, cases: 2 }).cases);
  t = await startTestLoom(CHANNELS, {
    header: HEADER,
    env: { ERP_URL: erp.url, ERP_TOKEN: erp.authorization, EHR_FHIR_URL: `${ehr.url}/fhir/R4` },
  });
});
afterAll(async () => {
  await t.loom.stop();
  await erp.stop();
  await ehr.stop();
  rmSync(t.dir, { recursive: true, force: true });
});

describe('system APIs', () => {
  it("serve the ERP's suppliers with the ERP's credential, never the caller's, from a cache that master-data events empty", async () => {
    const before = erp.stats().requests;
    const first = await api('/system/erp-suppliers?limit_page_length=0&ignored=x');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-loom-cache')).toBe('miss');
    const suppliers = ((await first.json()) as { data: { name: string; supplier_name: string }[] }).data;
    expect(suppliers.length).toBeGreaterThan(0);
    expect(erp.stats().authRefusals).toBe(0); // Loom sent the ERP's token; the caller's Bearer would be refused

    const again = await api('/system/erp-suppliers?ignored=y&limit_page_length=0');
    expect(again.headers.get('x-loom-cache')).toBe('hit');
    const one = await api(`/system/erp-suppliers/${encodeURIComponent(suppliers[0]!.name)}`);
    expect(((await one.json()) as { data: { supplier_name: string } }).data.supplier_name).toBe(suppliers[0]!.supplier_name);
    expect(erp.stats().requests - before).toBe(2); // the list once, the supplier once

    expect((await api('/channels/supplier-events/messages', { method: 'POST', body: JSON.stringify({ type: 'supplier.changed', id: suppliers[0]!.name }), headers: { 'content-type': 'application/json' } })).status).toBe(202);
    const deadline = Date.now() + 5_000;
    let after = await api('/system/erp-suppliers?limit_page_length=0');
    while (after.headers.get('x-loom-cache') === 'hit' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      after = await api('/system/erp-suppliers?limit_page_length=0');
    }
    expect(after.headers.get('x-loom-cache')).toBe('miss');
  });

  it('serve FHIR reads below the allowed paths only, and answer a backend outage with 502 problem+json', async () => {
    const patients = await api('/system/ehr-fhir/Patient?_count=5');
    expect(patients.status).toBe(200);
    const bundle = (await patients.json()) as { resourceType: string; entry?: { resource: { id: string } }[] };
    expect(bundle.resourceType).toBe('Bundle');
    const id = bundle.entry?.[0]?.resource.id;
    expect(id).toBeDefined();
    expect(((await (await api(`/system/ehr-fhir/Patient/${id!}`)).json()) as { id: string }).id).toBe(id);
    const refused = await api('/system/ehr-fhir/Device');
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { code: string }).code).toBe('system-api.path.not-allowed');
    expect((await api('/system/ehr-fhir/Patient/..%2F..%2Fadmin')).status).toBe(404);
    expect(((await (await api('/system/nope')).json()) as { code: string }).code).toBe('system-api.unknown');

    erp.setFault({ mode: 'down' });
    try {
      await api('/system/erp-suppliers/cache/invalidate', { method: 'POST' });
      const down = await api('/system/erp-suppliers?limit_page_length=0');
      expect(down.status).toBe(502);
      expect(down.headers.get('content-type')).toContain('problem+json');
      expect(((await down.json()) as { code: string }).code).toBe('system-api.backend.failed');
    } finally {
      erp.setFault({ mode: 'ok' });
    }
  });

  it('are listed, and their use per consumer is on /metrics', async () => {
    const list = (await (await api('/system')).json()) as { items: { name: string; cached: boolean }[] };
    expect(list.items.map((i) => [i.name, i.cached])).toEqual([['erp-suppliers', true], ['ehr-fhir', false]]);
    const metrics = await (await fetch(`${t.loom.url}/metrics`, { headers: authHeaders() })).text();
    expect(metrics).toMatch(/loom_system_api_requests_total\{api="erp-suppliers",consumer="[^"]+",cache="hit",status="200"\} [1-9]/);
    expect(metrics).toMatch(/loom_system_api_requests_total\{api="erp-suppliers",consumer="[^"]+",cache="error",status="502"\} 1/);
    expect(metrics).toContain('loom_system_api_backend_seconds_bucket{');
  });
});
