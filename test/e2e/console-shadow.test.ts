import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoom, type RunningLoom } from '../../src/app/index.js';
import { serveConsole } from '../../src/console/index.js';
import { createLogger } from '../../src/observability/index.js';
import { authHeaders } from '../support/auth.js';
import { browserAvailable, launchBrowser, repoRoot, screenshot, type BrowserSession } from '../support/browser.js';

// The console's Shadow runs page in chromium against a REAL Loom: counts per shadowed channel and,
// per message, where Loom's output and the legacy engine's differ. Built and fronted as the
// catalog page test does (a front server adds the test's credentials to API calls).

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const CONFIG = `version: 1
server: { port: 0 }
store: { dataDir: ./data }
channels:
  - name: lab-results
    inbound: { kind: http }
    contentType: hl7v2
    shadow: { matchBy: MSH-10 }
    destinations: [{ name: to-ehr, kind: mllp, host: 127.0.0.1, port: 1 }]
`;
const oru = (control: string, value: string) => `MSH|^~\\&|LAB|REF|EHR|HOSP|20261205080000||ORU^R01|${control}|P|2.5.1\rPID|1||M1^^^H^MR||DOE^JANE\rOBR|1|O1||GLU\rOBX|1|NM|GLU||${value}|mg/dL|70-99|N|||F\r`;

const dir = mkdtempSync(path.join(tmpdir(), 'loom-console-shadow-'));
let assetsDir = '';
let loom: RunningLoom;
let front: ServerType;
let baseUrl = '';

beforeAll(async () => {
  assetsDir = mkdtempSync(path.join(tmpdir(), 'loom-console-build-'));
  await build({ configFile: path.join(repoRoot, 'vite.config.console.ts'), logLevel: 'warn', build: { outDir: assetsDir, emptyOutDir: true, sourcemap: false } });
  writeFileSync(path.join(dir, 'loom.config.yaml'), CONFIG);
  loom = await startLoom({ configFile: path.join(dir, 'loom.config.yaml'), env: {}, simulators: false, logger: createLogger({ level: 'silent' }) });
  const consoleApp = serveConsole({ assetsDir });
  const app = new Hono();
  app.all('*', async (c) => {
    const url = new URL(c.req.url);
    if (!url.pathname.startsWith('/api/') && url.pathname !== '/healthz') return consoleApp.fetch(c.req.raw);
    const upstream = await fetch(`${loom.url}${url.pathname}${url.search}`, { headers: authHeaders({ accept: c.req.header('accept') ?? '*/*' }) });
    return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/json' } });
  });
  front = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
  await loom?.stop();
  if (assetsDir) rmSync(assetsDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!browserAvailable('console shadow (browser)'))('console shadow runs page in chromium', () => {
  let session: BrowserSession;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    session = await launchBrowser();
    page = await session.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });

  it('lists the shadowed channel with its counts and shows where outputs differ', async () => {
    const post = (path: string, body: string) => fetch(`${loom.url}${path}`, { method: 'POST', body, headers: authHeaders({ 'content-type': 'text/plain' }) });
    expect((await post('/api/v1/channels/lab-results/messages', oru('R1', '95'))).status).toBe(202);
    expect((await post('/api/v1/channels/lab-results/messages', oru('R2', '180'))).status).toBe(202);
    await until(async () => ((await (await fetch(`${loom.url}/api/v1/shadow`, { headers: authHeaders() })).json()) as { items: Array<{ 'loom-only': number }> }).items[0]?.['loom-only']).toBe(2);
    expect((await post('/api/v1/shadow/lab-results/legacy/to-ehr', oru('R1', '95'))).status).toBe(202);
    expect((await post('/api/v1/shadow/lab-results/legacy/to-ehr', oru('R2', '18'))).status).toBe(202);

    await page.goto(`${baseUrl}/#/shadow`);
    const row = page.locator('table.shadow-runs tr[data-channel="lab-results"]');
    await until(() => row.textContent()).toBe('lab-results1001');
    await row.getByRole('link', { name: '1' }).first().click();
    const differ = page.locator('table.shadow-results tr[data-key="R2"]');
    await until(() => differ.textContent()).toContain('OBX-5: 180 → 18');
    expect(await page.locator('table.shadow-results tr').count()).toBe(2); // header + the one differing message
    await screenshot(page, 'console-shadow-differ');
    expect(errors).toEqual([]);
  }, 60_000);
});
