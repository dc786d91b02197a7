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

// The console's Catalog page in chromium against a REAL Loom: the dependency map drawn from
// GET /api/v1/catalog, and "what stops if X is down" colouring the map from ?down=. The console is
// built by Vite into a temp dir; a front server sends API paths (with the test's credentials) to Loom.

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const CONFIG = `version: 1
server: { port: 0 }
store: { dataDir: ./data }
systems:
  - { name: ehr, owner: Clinical Applications, criticality: critical }
  - { name: inventory, owner: Supply Chain, criticality: high }
  - { name: erp, owner: Finance Systems, criticality: critical }
channels:
  - { name: adt, source: ehr, inbound: { kind: http }, contentType: hl7v2, destinations: [{ name: to-events, kind: channel, target: events }] }
  - { name: usage, source: inventory, inbound: { kind: http }, contentType: json, destinations: [{ name: to-events, kind: channel, target: events }] }
  - { name: events, inbound: { kind: channel }, contentType: json, destinations: [{ name: erp-postings, kind: http, url: "http://127.0.0.1:9/je" }] }
governance:
  catalog:
    destinations:
      events/erp-postings: { system: erp, dataClasses: [financial] }
`;

const dir = mkdtempSync(path.join(tmpdir(), 'loom-console-catalog-'));
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

describe.skipIf(!browserAvailable('console catalog (browser)'))('console catalog page in chromium', () => {
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

  const state = (key: string) => page.locator(`[data-node="${key}"]`).getAttribute('data-state');

  it('draws the dependency map and colours what stops while a system is down', async () => {
    await page.goto(`${baseUrl}/#/catalog`);
    await page.locator('svg.catalogmap').waitFor({ state: 'visible' });
    for (const key of ['send:system:ehr', 'send:system:inventory', 'channel:adt', 'channel:usage', 'channel:events', 'destination:events/erp-postings', 'recv:system:erp']) {
      expect(await page.locator(`[data-node="${key}"]`).count(), key).toBe(1);
    }
    expect(await page.locator('svg.catalogmap path.edge').count()).toBe(6);
    expect(await page.locator('tr[data-entry="destination:events/erp-postings"]').textContent()).toContain('financial');

    await page.getByRole('button', { name: 'erp' }).click();
    await until(() => state('destination:events/erp-postings')).toBe('down');
    expect(await state('recv:system:erp')).toBe('down');
    expect(await state('channel:events')).toBe('ok');
    expect(await page.locator('[data-impact="erp"]').textContent()).toContain('1 stop, 0 degraded');

    await page.getByRole('button', { name: 'ehr' }).click();
    await until(() => state('channel:adt')).toBe('down');
    expect(await state('channel:events')).toBe('degraded');
    expect(await state('destination:events/erp-postings')).toBe('ok');
    await screenshot(page, 'console-catalog-ehr-down');

    await page.getByRole('button', { name: 'ehr' }).click();
    await until(() => state('channel:adt')).toBe('ok');
    expect(errors).toEqual([]);
  }, 60_000);
});
