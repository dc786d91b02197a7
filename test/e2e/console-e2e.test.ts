import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleApiDouble, type ConsoleApiDouble } from '../../src/console/api-double/index.js';
import { serveConsole } from '../../src/console/index.js';
import { browserAvailable, launchBrowser, repoRoot, screenshot, type BrowserSession } from '../support/browser.js';

// The console's browser tests. The API is the in-memory API TEST DOUBLE
// (src/console/api-double), not the engine: it implements the /api/v1 contract the console uses.
// The console assets are the real ones, built by Vite from vite.config.console.ts into a temp dir
// and served by serveConsole(), exactly as the engine serves them.

/** Poll a condition with a deadline (no fixed sleeps); generous because the CI machine is shared. */
const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

let assetsDir = '';
let double: ConsoleApiDouble;
let server: ServerType;
let baseUrl = '';

beforeAll(async () => {
  assetsDir = mkdtempSync(path.join(tmpdir(), 'loom-console-build-'));
  await build({
    configFile: path.join(repoRoot, 'vite.config.console.ts'),
    logLevel: 'warn',
    build: { outDir: assetsDir, emptyOutDir: true, sourcemap: false },
  });
  double = createConsoleApiDouble();
  // API routes first, the console last, as the engine mounts them.
  double.app.route('/', serveConsole({ assetsDir }));
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: double.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (assetsDir) rmSync(assetsDir, { recursive: true, force: true });
});

describe('console assets served by serveConsole()', () => {
  it('serves the built index.html and its hashed assets with content types', async () => {
    const index = await fetch(`${baseUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await index.text();
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    const js = await fetch(`${baseUrl}/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const css = readdirSync(path.join(assetsDir, 'assets')).find((f) => f.endsWith('.css'));
    expect(css).toBeDefined();
    expect((await fetch(`${baseUrl}/assets/${css}`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    // API 404s stay API 404s only for routes the API owns; the SPA falls back for app paths.
    expect((await fetch(`${baseUrl}/channels`)).status).toBe(200);
  });
});

const runBrowser = browserAvailable('console e2e (browser)');

describe.skipIf(!runBrowser)('console in chromium against the API test double', () => {
  let session: BrowserSession;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    session = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });
  afterEach(async () => {
    await page?.close();
    // Any uncaught error in the page fails the test that caused it.
    expect(pageErrors).toEqual([]);
  });

  const open = async (hash: string) => {
    page = await session.context.newPage();
    pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${baseUrl}/${hash}`);
  };

  it('opens the dashboard with the interface health map', async () => {
    await open('#/');
    const map = page.locator('svg.healthmap');
    await map.waitFor({ state: 'visible' });
    await until(() => page.locator('[data-node="ch:adt-in"]').getAttribute('data-health')).toBe('ok');
    // supply-usage: open circuit and 24% errors; charges-in: half-open circuit.
    expect(await page.locator('[data-node="ch:supply-usage"]').getAttribute('data-health')).toBe('down');
    expect(await page.locator('[data-node="ch:charges-in"]').getAttribute('data-health')).toBe('degraded');
    expect(await page.locator('[data-node="sys:EHR"]').getAttribute('data-health')).toBe('degraded');
    await until(() => page.locator('[data-tile="Dead letters"] b').textContent()).toBe('28');
    await page.getByText('ERP rejected cost center CC-9999').waitFor();
    const nav = page.locator('nav.side');
    expect(await nav.locator('li.coming').allTextContents()).toEqual(
      ['Processes coming', 'Reconciliation coming', 'Master data coming', 'Catalog coming'],
    );
    await screenshot(page, 'console-dashboard');
  });

  it('updates the throughput chart between two polls', async () => {
    await open('#/');
    const chart = page.locator('figure.chart');
    await until(() => chart.getAttribute('data-points')).toBe('15');
    const first = await chart.getAttribute('data-last');
    const firstPoints = await chart.locator('polyline[data-series="received"]').getAttribute('points');
    const pollsBefore = double.throughputPolls();
    await until(() => chart.getAttribute('data-last')).not.toBe(first);
    expect(double.throughputPolls()).toBeGreaterThan(pollsBefore);
    expect(await chart.locator('polyline[data-series="received"]').getAttribute('points')).not.toBe(firstPoints);
  });

  it('finds a message by patient id and shows decoded HL7 field names', async () => {
    await open('#/messages');
    await page.getByRole('searchbox').fill('MRN100003');
    await page.getByRole('searchbox').press('Enter');
    const rows = page.locator('table.messages tbody tr');
    await until(() => rows.count()).toBe(1);
    await screenshot(page, 'console-messages-search');
    await rows.first().click();
    await page.locator('table.decoded.hl7').waitFor();
    const pid5 = page.locator('table.decoded tr', { has: page.locator('td.ref', { hasText: /^PID-5$/ }) });
    expect(await pid5.locator('td.fname').textContent()).toBe('Patient Name');
    expect(await pid5.locator('td.val').textContent()).toBe('ROE^RICHARD');
    await page.getByText('Participant Device Serial Number').waitFor();
    expect(await page.locator('table.steps tbody tr').count()).toBe(6);
    await screenshot(page, 'console-message');
    // The correlation id links to every message of the same flow.
    await page.getByRole('link', { name: 'corr-3' }).click();
    await until(() => page.locator('table.messages tbody tr').count()).toBe(1);
    await page.goBack();
    await page.locator('table.decoded.hl7').waitFor();
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('status').filter({ hasText: 'Replayed as' }).waitFor();
  });

  it('shows X12 with element positions and FHIR as pretty JSON', async () => {
    await open('#/messages/01JDBL000007');
    await page.locator('table.decoded.x12').waitFor();
    expect(await page.locator('.el', { hasText: 'BEG03' }).textContent()).toContain('PO-4711');
    await page.goto(`${baseUrl}/#/messages/01JDBL000009`);
    await until(() => page.locator('pre.raw').textContent()).toContain('"resourceType": "Patient"');
  });

  it('pauses and resumes a channel', async () => {
    await open('#/channels');
    const row = page.locator('tr[data-channel="adt-in"]');
    await row.getByRole('button', { name: 'Pause' }).click();
    await until(() => row.locator('[data-status]').getAttribute('data-status')).toBe('paused');
    const apiView = async () => ((await (await fetch(`${baseUrl}/api/v1/channels`)).json()) as { items: { name: string; status: string }[] }).items;
    expect((await apiView()).find((c) => c.name === 'adt-in')?.status).toBe('paused');
    await screenshot(page, 'console-channels-paused');
    await row.getByRole('button', { name: 'Resume' }).click();
    await until(() => row.locator('[data-status]').getAttribute('data-status')).toBe('running');
    expect((await apiView()).find((c) => c.name === 'adt-in')?.status).toBe('running');
  });

  it('replays a dead letter and discards another with a reason', async () => {
    await open('#/dead-letters');
    const rows = page.locator('tr[data-dead-letter]');
    await until(() => rows.count()).toBe(3);
    await page.locator('tr[data-dead-letter="dl-1"]').getByRole('button', { name: 'Replay' }).click();
    await until(() => page.locator('tr[data-dead-letter="dl-1"]').count()).toBe(0);
    expect(await rows.count()).toBe(2);
    await page.locator('tr[data-dead-letter="dl-2"]').getByRole('button', { name: 'Discard' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('cost center retired; posted manually');
    await screenshot(page, 'console-discard-dialog');
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await until(() => page.locator('tr[data-dead-letter="dl-2"]').count()).toBe(0);
    expect(await rows.count()).toBe(1);
  });

  it('shows the alerts empty state while /api/v1/alerts does not exist', async () => {
    await open('#/alerts');
    await page.getByText('alerts arrive with the observability rules').waitFor();
  });
});
