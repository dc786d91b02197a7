import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/governance/audit/index.js';
import type { ReleaseSummary } from '../../src/governance/releases/index.js';
import { authHeaders, TEST_ADMIN_TOKEN } from '../support/auth.js';
import { loom as cli } from '../support/cli.js';
import { startTestLoom, type TestLoom } from '../support/loom.js';

const ORDERS = `  - name: orders
    inbound: { kind: http }
    contentType: json
`;
const INVOICES = `  - name: invoices
    inbound: { kind: http }
    contentType: json
    steps: [{ use: json-keys }]
`;

let t: TestLoom;
const api = (p: string, init: RequestInit = {}) => fetch(`${t.loom.url}/api/v1${p}`, { ...init, headers: authHeaders() });
const env = () => ({ LOOM_URL: t.loom.url, LOOM_TOKEN: TEST_ADMIN_TOKEN });

beforeAll(async () => {
  t = await startTestLoom(ORDERS);
});
afterAll(async () => {
  await t.loom.stop();
  rmSync(t.dir, { recursive: true, force: true });
});

describe('release management of a running Loom', () => {
  it('stores the config at start and at each reload, diffs releases and rolls back through the API, each step audited', async () => {
    const start = (await (await api('/releases')).json()) as { items: ReleaseSummary[] };
    expect(start.items).toEqual([expect.objectContaining({ version: 1, reason: 'start', actor: 'system', file: t.configFile })]);
    const v1 = readFileSync(t.configFile, 'utf8');

    // What a reload would change: current → the file on disk.
    t.writeConfig(ORDERS + INVOICES);
    const pending = await cli(['diff'], env());
    expect(pending.code).toBe(0);
    expect(pending.stdout).toBe('release 1 → file\nchannels:\n  + invoices\n');

    expect((await api('/config/reload', { method: 'POST' })).status).toBe(200);
    const afterReload = (await (await api('/releases')).json()) as { items: ReleaseSummary[] };
    expect(afterReload.items.map((r) => [r.version, r.reason])).toEqual([[2, 'reload'], [1, 'start']]);
    expect(await cli(['diff'], env())).toMatchObject({ code: 0, stdout: 'release 2 → file\nno changes\n' });
    const oneToNow = await cli(['diff', '1', '--json'], env());
    expect(JSON.parse(oneToNow.stdout)).toMatchObject({ from: '1', to: '2', diff: { channels: { added: ['invoices'], removed: [] } } });
    expect((await (await api('/releases/2')).json()) as { text: string }).toMatchObject({ text: expect.stringContaining('name: invoices') });

    const rolled = await cli(['rollback', '1'], env());
    expect(rolled).toMatchObject({ code: 0, stdout: expect.stringContaining('rolled back to release 1: now applied as release 3') });
    expect(readFileSync(t.configFile, 'utf8')).toBe(v1);
    expect((await t.loom.engine.channelStatus()).map((c) => c.name)).toEqual(['orders']);
    expect((await (await api('/releases/3')).json()) as ReleaseSummary).toMatchObject({ reason: 'rollback', rolledBackTo: 1 });

    const audit = (await (await api('/audit?limit=20')).json()) as { items: AuditRecord[] };
    expect(audit.items.map((r) => [r.action, r.target]).reverse()).toEqual([
      ['release.applied', 'release/1'],
      ['release.applied', 'release/2'],
      ['config.reload', 'config'],
      ['release.applied', 'release/3'],
      ['release.rollback', 'release/1'],
    ]);
    expect(audit.items[0]?.detail).toEqual({ to: 1, version: 3 });
  });

  it('answers an unknown release with 404 problem+json and leaves the config alone', async () => {
    const before = readFileSync(t.configFile, 'utf8');
    const res = await api('/releases/99/rollback', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'release.unknown' });
    expect(readFileSync(t.configFile, 'utf8')).toBe(before);
    expect(await cli(['diff', 'yesterday'], env())).toMatchObject({ code: 1 });
    expect(await cli(['rollback'], env())).toMatchObject({ code: 1 });
  });

  it('restores the config file when the release rolled back to no longer loads', async () => {
    // Release 4 reads a URL from a file beside the config; once that file is gone it cannot load.
    writeFileSync(path.join(t.dir, 'erp-url.txt'), 'http://127.0.0.1:9/x');
    t.writeConfig(`${ORDERS}  - name: secret\n    inbound: { kind: http }\n    contentType: json\n    destinations:\n      - name: erp\n        kind: http\n        url: \${file:erp-url.txt}\n`);
    expect((await api('/config/reload', { method: 'POST' })).status).toBe(200);
    t.writeConfig(ORDERS);
    expect((await api('/config/reload', { method: 'POST' })).status).toBe(200);
    const versions = (await (await api('/releases?limit=2')).json()) as { items: ReleaseSummary[] };
    expect(versions.items.map((r) => r.version)).toEqual([5, 4]);
    rmSync(path.join(t.dir, 'erp-url.txt'));
    const current = readFileSync(t.configFile, 'utf8');

    const res = await api('/releases/4/rollback', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: expect.stringMatching(/^config\./) });
    expect(readFileSync(t.configFile, 'utf8')).toBe(current);
    expect((await t.loom.engine.channelStatus()).map((c) => c.name)).toEqual(['orders']);
    const audit = (await (await api('/audit?limit=1')).json()) as { items: AuditRecord[] };
    expect(audit.items[0]).toMatchObject({ action: 'release.rollback-failed', target: 'release/4' });
  });
});
