import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractVersion } from '../../src/governance/contracts/index.js';
import { authHeaders, TEST_ADMIN_TOKEN } from '../support/auth.js';
import { loom as cli } from '../support/cli.js';
import { startTestLoom, type TestLoom } from '../support/loom.js';

const CHANNELS = `  - name: orders
    inbound: { kind: http }
    contentType: json
    contract: { name: po-json, version: 1 }
`;
const V1 = { type: 'object', required: ['poNumber', 'lines'], properties: { poNumber: { type: 'string', maxLength: 12 }, lines: { type: 'array', minItems: 1, items: { type: 'object', required: ['gtin'], properties: { gtin: { type: 'string' } } } } } };
const V2 = { ...V1, required: [...V1.required, 'costCenter'], properties: { ...V1.properties, costCenter: { type: 'string' } } };

let t: TestLoom;
const api = (p: string, init: RequestInit = {}) => fetch(`${t.loom.url}/api/v1${p}`, { ...init, headers: authHeaders({ 'content-type': 'application/json', ...((init.headers as Record<string, string> | undefined) ?? {}) }) });
const env = () => ({ LOOM_URL: t.loom.url, LOOM_TOKEN: TEST_ADMIN_TOKEN });

let sent = 0;
/** Post a purchase order (a unique `ref` each time: identical JSON would be a duplicate) and wait for its outcome. */
async function send(body: Record<string, unknown>): Promise<{ status: string; error?: string }> {
  sent += 1;
  const res = await api('/channels/orders/messages', { method: 'POST', body: JSON.stringify({ ...body, ref: sent }) });
  expect(res.status).toBe(202);
  const { messageId } = (await res.json()) as { messageId: string };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { message: m } = (await (await api(`/messages/${messageId}`)).json()) as { message: { status: string; error?: string } };
    if (m.status === 'processed' || m.status === 'failed') return m;
    if (Date.now() > deadline) throw new Error(`message ${messageId} still ${m.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  t = await startTestLoom(CHANNELS);
});
afterAll(async () => {
  await t.loom.stop();
  rmSync(t.dir, { recursive: true, force: true });
});

describe('contract registry of a running Loom', () => {
  it('a channel validates against the version it pins; a message violating it fails with a clear LoomError', async () => {
    // Pinned before it is registered: messages fail, none pass unchecked.
    expect(await send({ poNumber: 'PO-1', lines: [{ gtin: '1' }] })).toMatchObject({ status: 'failed', error: expect.stringContaining('contract.unknown') });

    const who = await api('/contracts/probe/versions', { method: 'POST', body: JSON.stringify({ kind: 'json-schema', owner: 'x', schema: { type: 'object' } }) });
    const me = ((await who.json()) as ContractVersion).createdBy;
    const v1 = await api('/contracts/po-json/versions', { method: 'POST', body: JSON.stringify({ kind: 'json-schema', owner: me, schema: V1 }) });
    expect(v1.status).toBe(201);
    expect(await v1.json()).toMatchObject({ version: 1, status: 'active' });

    expect(await send({ poNumber: 'PO-1', lines: [{ gtin: '1' }] })).toMatchObject({ status: 'processed' });
    const bad = await send({ poNumber: 'PO-1001-TOO-LONG', lines: [] });
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/^contract\.violation at \$\.poNumber: .*\(contract po-json@1\); 1 more: \$\.lines/);
  });

  it('a breaking version waits for its owner; others get 403; approval is audited; loom contracts drives it', async () => {
    const file = path.join(t.dir, 'po-v2.json');
    writeFileSync(file, JSON.stringify(V2));
    const registered = await cli(['contracts', 'register', 'po-json', '--kind', 'json-schema', '--owner', 'ignored', '--file', file], env());
    expect(registered.code).toBe(0);
    expect(registered.stdout).toContain('po-json@2 json-schema pending-approval (breaking)');
    expect(registered.stdout).toContain('! costCenter: costCenter is new and required');

    const other = await api('/contracts/probe/versions', { method: 'POST', body: JSON.stringify({ kind: 'json-schema', owner: 'x', schema: { type: 'object', required: ['a'] } }) });
    expect(await other.json()).toMatchObject({ version: 2, status: 'pending-approval' });
    const refused = await api('/contracts/probe/versions/2/approve', { method: 'POST' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'contract.approval.not-owner' });

    // Pinning the unapproved version: every message fails until the owner approves it.
    t.writeConfig(CHANNELS.replace('version: 1', 'version: 2'));
    expect((await api('/config/reload', { method: 'POST' })).status).toBe(200);
    expect(await send({ poNumber: 'PO-2', lines: [{ gtin: '1' }], costCenter: 'CC-1' })).toMatchObject({ status: 'failed', error: expect.stringContaining('contract.version.unapproved') });
    expect(await cli(['contracts', 'approve', 'po-json', '2'], env())).toMatchObject({ code: 0, stdout: expect.stringContaining('approved po-json@2') });
    expect(await send({ poNumber: 'PO-2', lines: [{ gtin: '1' }], costCenter: 'CC-1' })).toMatchObject({ status: 'processed' });
    expect(await send({ poNumber: 'PO-3', lines: [{ gtin: '1' }] })).toMatchObject({ status: 'failed', error: expect.stringContaining('$.costCenter') });

    const audit = (await (await api('/audit?limit=50')).json()) as { items: Array<{ action: string; target: string }> };
    expect(audit.items.filter((r) => r.action.startsWith('contract.')).map((r) => [r.action, r.target]).reverse()).toEqual([
      ['contract.register', 'contract/probe@1'],
      ['contract.register', 'contract/po-json@1'],
      ['contract.register', 'contract/po-json@2'],
      ['contract.register', 'contract/probe@2'],
      ['contract.approve-refused', 'contract/probe@2'],
      ['contract.approve', 'contract/po-json@2'],
    ]);
    const list = await cli(['contracts', 'list'], env());
    expect(list.stdout).toContain('po-json');
    const releases = await cli(['diff', '1', '--json'], env());
    expect(JSON.parse(releases.stdout)).toMatchObject({ diff: { contracts: [{ channel: 'orders', from: 'po-json@1', to: 'po-json@2' }] } });
  });
});
