import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLoom, type RunningLoom } from '../../src/app/index.js';
import { serveConsole } from '../../src/console/index.js';
import { newRouter } from '../../src/api/context.js';
import { problem } from '../../src/api/problem.js';
import { alertRoutes } from '../../src/api/routes/alerts.js';
import { slaRoutes } from '../../src/api/routes/slas.js';
import { createLogger, startObservability, type RunningObservability } from '../../src/observability/index.js';
import { browserAvailable, launchBrowser, repoRoot, screenshot, type BrowserSession } from '../support/browser.js';
import { eventually, startReceiver, type TestReceiver } from '../support/receiver.js';

// The console's browser tests against a REAL Loom (startLoom: config, SQLite store, engine,
// HTTP inbound channels, HTTP destinations to test receivers). Messages go in through
// POST /api/v1/channels/{name}/messages. The console assets are built by Vite from
// vite.config.console.ts into a temp dir and served by serveConsole(); a small front server
// sends API paths to the running Loom and the rest to the console, because startLoom serves
// dist/console/web, which this test must not overwrite under other engineers' feet.

/** Poll a condition with a deadline (no fixed sleeps); generous because the CI machine is shared. */
const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

const HL7 = 'x-application/hl7-v2+er7';
const PATIENTS = [
  { mrn: 'MRN500001', name: 'ROE^RICHARD' },
  { mrn: 'MRN500002', name: 'DOE^JANE' },
  { mrn: 'MRN500003', name: 'POE^EDGAR^A' },
  { mrn: 'MRN500004', name: 'LOE^LINDA' },
];
const adt = (p: (typeof PATIENTS)[number], controlId: string) =>
  [
    `MSH|^~\\&|EPIC|MAIN|LOOM|HUB|20260304101500||ADT^A01|${controlId}|P|2.5`,
    `PID|1||${p.mrn}^^^HOSP^MR||${p.name}||19700101|M`,
    'PV1|1|I|ICU^12^1||||||||||||||||V-1001',
  ].join('\r');

const dir = mkdtempSync(path.join(tmpdir(), 'loom-console-e2e-'));
let assetsDir = '';
let loom: RunningLoom;
let erp: TestReceiver;
let wms: TestReceiver;
let front: ServerType;
let baseUrl = '';
let deadMessageId = '';
let deadLetterId = '';
let sent = 0;
let obs: RunningObservability;

async function post(channel: string, body: string, type: string): Promise<Response> {
  return fetch(`${loom.url}/api/v1/channels/${channel}/messages`, { method: 'POST', headers: { 'content-type': type }, body });
}
const usage = (eventId: string) => JSON.stringify({ eventId, item: { gtin: '00884838094581' }, lot: `L-${eventId}`, serial: `S-${eventId}`, quantity: 1 });

/**
 * API paths go to the running Loom, everything else to the freshly built console. The alert and
 * SLA routes are mounted here on the running engine's observability (startLoom does not mount
 * them yet), exactly as src/api/app.ts is to mount them.
 */
function frontServer(consoleApp: Hono): Hono {
  const app = new Hono();
  const v1 = newRouter();
  v1.onError((error, c) => problem(c, error));
  v1.route('/', alertRoutes({ alerts: obs.alerts }));
  v1.route('/', slaRoutes({ slas: obs.slas }));
  app.all('*', async (c) => {
    const url = new URL(c.req.url);
    if (url.pathname.startsWith('/api/v1/alerts') || url.pathname.startsWith('/api/v1/slas')) {
      return v1.fetch(new Request(c.req.url.replace('/api/v1', ''), c.req.raw));
    }
    if (!['/api/', '/metrics', '/healthz', '/readyz'].some((p) => url.pathname.startsWith(p))) return consoleApp.fetch(c.req.raw);
    const method = c.req.method;
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'accept', 'x-loom-actor']) {
      const v = c.req.header(name);
      if (v) headers[name] = v;
    }
    const upstream = await fetch(`${loom.url}${url.pathname}${url.search}`, {
      method,
      headers,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: await c.req.arrayBuffer() }),
    });
    const out = new Headers(upstream.headers);
    out.delete('content-length');
    out.delete('content-encoding');
    return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers: out });
  });
  return app;
}

beforeAll(async () => {
  assetsDir = mkdtempSync(path.join(tmpdir(), 'loom-console-build-'));
  await build({
    configFile: path.join(repoRoot, 'vite.config.console.ts'),
    logLevel: 'warn',
    build: { outDir: assetsDir, emptyOutDir: true, sourcemap: false },
  });
  erp = await startReceiver();
  wms = await startReceiver();
  const file = path.join(dir, 'loom.config.yaml');
  writeFileSync(
    file,
    `version: 1
server: { port: 0 }
store: { dataDir: ./data }
systems:
  - { name: ehr, owner: clinical-apps }
  - { name: inventory, owner: supply-chain }
channels:
  - name: adt
    source: ehr
    inbound: { kind: http }
    contentType: hl7v2
    ackMode: enhanced
    steps: [{ use: hl7-keys }]
    destinations:
      - { name: erp, kind: http, url: ${erp.url}/adt }
  - name: usage
    source: inventory
    inbound: { kind: http }
    contentType: json
    steps: [{ use: json-keys }]
    destinations:
      - { name: wms, kind: http, url: ${wms.url}/usage, retry: { maxAttempts: 2, backoff: { base: 20ms, max: 50ms } }, breaker: { failures: 5, cooldown: 1s } }
`,
  );
  loom = await startLoom({ configFile: file, env: {}, logger: createLogger({ level: 'silent' }) });
  obs = startObservability({
    events: loom.engine.events,
    channels: () => loom.engine.channelStatus(),
    alerts: [
      { name: 'usage-dead-letters', kind: 'dead-letters', channel: 'usage', above: 0, window: '1h', severity: 'critical' },
      { name: 'adt-stopped', kind: 'channel-stopped', channel: 'adt' },
    ],
    slas: [{ name: 'adt-to-erp', channel: 'adt', destination: 'erp', within: '1m', target: 99 }],
    intervalMs: 250,
  });

  for (const [i, p] of PATIENTS.entries()) expect((await post('adt', adt(p, `CTRL-${i + 1}`), HL7)).status).toBe(202);
  for (const id of ['E1', 'E2']) expect((await post('usage', usage(id), 'application/json')).status).toBe(202);
  await eventually(() => erp.effects.size === PATIENTS.length && wms.effects.size === 2, 20_000, 'the first deliveries');

  // The warehouse fails: the next usage event exhausts its retries and becomes a dead letter.
  wms.failWith = 500;
  const dead = await post('usage', usage('E-DEAD'), 'application/json');
  deadMessageId = ((await dead.json()) as { messageId: string }).messageId;
  await eventually(async () => {
    const page = (await (await fetch(`${loom.url}/api/v1/dead-letters`)).json()) as { items: Array<{ id: string; messageId: string }> };
    deadLetterId = page.items.find((d) => d.messageId === deadMessageId)?.id ?? '';
    return deadLetterId !== '';
  }, 20_000, 'the dead letter');
  wms.failWith = undefined; // back up: the dead letter waits for an operator's replay
  sent = PATIENTS.length + 3;

  front = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: frontServer(serveConsole({ assetsDir })).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
  await obs?.stop();
  await loom?.stop();
  await erp?.close();
  await wms?.close();
  if (assetsDir) rmSync(assetsDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
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
    expect((await fetch(`${baseUrl}/channels`)).status).toBe(200);
  });
});

const runBrowser = browserAvailable('console e2e (browser)');

describe.skipIf(!runBrowser)('console in chromium against a running Loom', () => {
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

  it('opens the dashboard: health map, totals and the dead letter as a business exception', async () => {
    await open('#/');
    await page.locator('svg.healthmap').waitFor({ state: 'visible' });
    await until(() => page.locator('[data-node="ch:adt"]').getAttribute('data-health')).toBe('ok');
    expect(await page.locator('[data-node="ch:usage"]').count()).toBe(1);
    expect(await page.locator('[data-node="sys:ehr"]').count()).toBe(1);
    await until(() => page.locator('[data-tile="Received"] b').textContent()).toBe(String(sent));
    await page.locator('section[aria-label="Business exceptions"]').getByText('to wms').waitFor();
    await screenshot(page, 'console-dashboard');
  });

  it('updates the throughput chart as messages arrive', async () => {
    await open('#/');
    const chart = page.locator('figure[data-chart="Throughput"]');
    await until(() => chart.getAttribute('data-points')).toBe('90'); // 15 min of 10 s buckets
    const received = chart.locator('[data-series="received"]');
    const before = await received.innerHTML();
    // Keep traffic flowing until a poll shows it: the newest bucket counts received messages.
    let n = 0;
    await until(async () => {
      expect((await post('usage', usage(`T${n++}`), 'application/json')).status).toBe(202);
      sent++;
      const last = (await chart.getAttribute('data-last')) ?? '';
      return Number(/ (\d+)\//.exec(last)?.[1] ?? 0) > 0 && (await received.innerHTML()) !== before;
    }).toBe(true);
    await screenshot(page, 'console-throughput');
  });

  it('charts delivery latency p50/p95 and the exception trend on their own scales', async () => {
    await open('#/');
    const latency = page.locator('figure[data-chart="Delivery latency"]');
    const failures = page.locator('figure[data-chart="Exception trend"]');
    await until(() => latency.getAttribute('data-points')).toBe('90');
    // The setup's deliveries (last few minutes) are measured: some bucket has a p95 in ms.
    await until(async () => Number((await latency.getAttribute('data-max')) || 0)).toBeGreaterThan(0);
    expect(await latency.locator('[data-series="p95"] :is(polyline, circle)').count()).toBeGreaterThan(0);
    // The setup's dead letter shows on the exception chart, whose y scale is its own (not received's).
    await until(async () => Number((await failures.getAttribute('data-max')) || 0)).toBeGreaterThanOrEqual(1);
    expect(await failures.locator('[data-series]').count()).toBe(1);
    // Live: a fresh delivery and a fresh rejection show in the newest bucket once a poll sees them.
    // Post again only every 2.5 s (the poll is 2 s), so a bucket rolling over cannot hide them.
    let lastPost = 0;
    let n = 0;
    await until(async () => {
      if (Date.now() - lastPost > 2500) {
        lastPost = Date.now();
        expect((await post('usage', usage(`L${n}`), 'application/json')).status).toBe(202);
        // Rejected at intake (no MSH segment): 422, journaled as rejected. adt turns "down" on the
        // health map from here on (its error rate); no later test looks at adt's health.
        expect((await post('adt', `not hl7 at all ${n++}`, HL7)).status).toBe(422);
        sent++;
      }
      const [p50, p95] = (/ ([\d.-]+)\/([\d.-]+)$/.exec((await latency.getAttribute('data-last')) ?? '') ?? []).slice(1).map(Number);
      const failed = Number(/ (\d+)$/.exec((await failures.getAttribute('data-last')) ?? '')?.[1] ?? 0);
      return (p50 ?? 0) > 0 && (p95 ?? 0) >= (p50 ?? 0) && failed > 0;
    }).toBe(true);
    await screenshot(page, 'console-latency-exceptions');
  });

  it('shows SLA attainment on the dashboard: % met vs target and an hourly trend', async () => {
    await open('#/');
    const panel = page.locator('section[aria-label="SLA attainment"]');
    const tile = panel.locator('[data-sla="adt-to-erp"]');
    await until(() => tile.getAttribute('data-ok')).toBe('true');
    expect(await tile.locator('.pct').textContent()).toBe('100 %');
    expect(await tile.textContent()).toContain('target 99 %');
    expect(await tile.getAttribute('class')).toContain('ok');
    const chart = panel.locator('figure[data-chart="SLA attainment"]');
    expect(await chart.getAttribute('data-points')).toBe('24'); // hours
    // Every adt → erp delivery met the 1 min limit: the hours with samples read 100 % on a 0–100 axis.
    expect(await chart.getAttribute('data-max')).toBe('100');
    expect(await chart.locator('text.axis').filter({ hasText: /^100 %$/ }).count()).toBe(1);
    await screenshot(page, 'console-sla-attainment');
  });

  it('finds a message by patient id and shows decoded HL7 field names', async () => {
    await open('#/messages');
    await page.getByRole('searchbox').fill('MRN500003');
    await page.getByRole('searchbox').press('Enter');
    const rows = page.locator('table.messages tbody tr');
    await until(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('CTRL-3');
    await screenshot(page, 'console-messages-search');
    await rows.first().click();
    await page.locator('table.decoded.hl7').waitFor();
    const pid5 = page.locator('table.decoded tr', { has: page.locator('td.ref', { hasText: /^PID-5$/ }) });
    expect(await pid5.locator('td.fname').textContent()).toBe('Patient Name');
    expect(await pid5.locator('td.val').textContent()).toBe('POE^EDGAR^A');
    await until(() => page.locator('table.steps').textContent()).toContain('hl7-keys');
    await until(() => page.locator('tr[data-delivery="erp"]').getAttribute('data-delivery-status')).toBe('delivered');
    await screenshot(page, 'console-message');
  });

  it('pauses and resumes a channel; intake refuses while paused', async () => {
    await open('#/channels');
    const row = page.locator('tr[data-channel="adt"]');
    await row.getByRole('button', { name: 'Pause' }).click();
    await until(() => row.locator('[data-status]').getAttribute('data-status')).toBe('paused');
    const apiView = async () => ((await (await fetch(`${loom.url}/api/v1/channels`)).json()) as { items: { name: string; status: string }[] }).items;
    expect((await apiView()).find((c) => c.name === 'adt')?.status).toBe('paused');
    expect((await post('adt', adt(PATIENTS[0], 'CTRL-PAUSED'), HL7)).status).toBe(503);
    await screenshot(page, 'console-channels-paused');
    await row.getByRole('button', { name: 'Resume' }).click();
    await until(() => row.locator('[data-status]').getAttribute('data-status')).toBe('running');
    expect((await apiView()).find((c) => c.name === 'adt')?.status).toBe('running');
    expect((await post('adt', adt(PATIENTS[0], 'CTRL-RESUMED'), HL7)).status).toBe(202);
    sent++;
  });

  it('replays a dead letter once the destination is back and shows it delivered', async () => {
    await open('#/dead-letters');
    const row = page.locator(`tr[data-dead-letter="${deadLetterId}"]`);
    await row.waitFor();
    await screenshot(page, 'console-dead-letters');
    wms.failWith = undefined;
    expect(await row.getAttribute('data-replayed')).toBe('no');
    expect([...wms.effects.values()].some((b) => b.includes('E-DEAD'))).toBe(false);
    await row.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('status').filter({ hasText: `Dead letter ${deadLetterId} replayed` }).waitFor();
    // The store keeps a replayed dead letter listed as history; the console marks it "replayed"
    // once the API's dead-letter view carries `replayedAt` (it does not yet).
    await eventually(() => [...wms.effects.values()].some((b) => b.includes('E-DEAD')), 15_000, 'the replayed delivery');
    await page.goto(`${baseUrl}/#/messages/${deadMessageId}`);
    await until(() => page.locator('tr[data-delivery="wms"]').getAttribute('data-delivery-status')).toBe('delivered');
    await screenshot(page, 'console-dead-letter-replayed');
  });

  it('shows firing alerts, rules, SLAs and history, and silences a rule', async () => {
    await open('#/alerts');
    await page.locator('tr[data-alert="usage-dead-letters"]').waitFor();
    expect(await page.locator('tr[data-alert="usage-dead-letters"]').textContent()).toContain('dead letters on usage');
    expect(await page.locator('tr[data-rule="adt-stopped"]').textContent()).toContain('ok');
    const sla = page.locator('tr[data-sla="adt-to-erp"]');
    await until(() => sla.getAttribute('data-ok')).toBe('true');
    expect(await sla.locator('td.pct').textContent()).toBe('100 %');
    await page.locator('tr[data-rule="usage-dead-letters"]').getByRole('button', { name: 'Silence' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('warehouse maintenance');
    await dialog.getByRole('button', { name: 'Silence' }).click();
    await until(() => page.locator('tr[data-rule="usage-dead-letters"]').textContent()).toContain('warehouse maintenance');
    expect(obs.alerts.view().history.map((h) => `${h.name}:${h.event}`)).toContain('usage-dead-letters:silenced');
    await screenshot(page, 'console-alerts');
  });
});
