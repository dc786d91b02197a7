import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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
import type { ProcessDetail, ProcessPage, ProcessStatus } from '../../src/console/contract.js';
import { browserAvailable, launchBrowser, repoRoot, screenshot, type BrowserSession } from '../support/browser.js';

// The console's Processes page in chromium against a REAL Loom running the example estate with its
// in-process simulators (seed 42, fast, inventory by webhook so no broker is needed). The console is
// built by Vite into a temp dir and served by serveConsole(); a front server sends API paths to the
// running Loom, because startLoom serves dist/console/web, which this test must not overwrite.

const until = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 150 });
const estateDir = path.join(repoRoot, 'examples/estate');
const noop = () => undefined;
const silent = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, flush: noop, child: () => silent, level: 'silent' } as never;

const work = mkdtempSync(path.join(tmpdir(), 'loom-console-processes-'));
let assetsDir = '';
let loom: RunningLoom;
let front: ServerType;
let baseUrl = '';

async function processes(query = ''): Promise<ProcessPage> {
  const res = await fetch(`${loom.url}/api/v1/processes${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ProcessPage;
}

async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function frontServer(consoleApp: Hono): Hono {
  const app = new Hono();
  app.all('*', async (c) => {
    const url = new URL(c.req.url);
    if (!['/api/', '/healthz'].some((p) => url.pathname.startsWith(p))) return consoleApp.fetch(c.req.raw);
    const upstream = await fetch(`${loom.url}${url.pathname}${url.search}`, { headers: { accept: c.req.header('accept') ?? '*/*' } });
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
  for (const f of ['loom.config.yaml', 'master-data']) cpSync(path.join(estateDir, f), path.join(work, f), { recursive: true });
  loom = await startLoom({
    configFile: path.join(work, 'loom.config.yaml'),
    overrides: { port: 0, mllpPort: 0 },
    env: { ...process.env, LOOM_SIMULATORS: 'on' },
    simulators: { seed: 42, speed: 20_000, badDataRate: 0.05, inventory: { transport: 'webhook', amqpUrl: 'amqp://127.0.0.1:5672', exchange: 'loom.test.console-processes' } },
    logger: silent,
  });
  const played = await loom.simulators?.played();
  expect(played?.error).toBeUndefined();
  // The day is played; wait until the processes have taken it in (more than one status present).
  await waitFor(async () => {
    const p = await processes();
    return p.items.length > 0 && Object.values(p.counts).filter((n) => (n ?? 0) > 0).length >= 2 ? p : undefined;
  }, 'process instances in two statuses');
  front = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: frontServer(serveConsole({ assetsDir })).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
  await loom?.stop();
  if (assetsDir) rmSync(assetsDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('processes API as the console calls it', () => {
  it('answers one instance by its encoded id (process/key as one path segment)', async () => {
    const [first] = (await processes('?limit=1')).items;
    const res = await fetch(`${loom.url}/api/v1/processes/${encodeURIComponent(first.id)}`);
    expect(res.status).toBe(200);
    const detail = (await res.json()) as ProcessDetail;
    expect(detail.id).toBe(first.id);
    expect(detail.timeline.length).toBeGreaterThan(0);
  });

  it('reports the discharge-to-charge SLA from every sample the discharge-charge process recorded', async () => {
    const withinMs = 15 * 60_000;
    // The day may still be recording samples: compare the SLA with the samples read in the same poll.
    const read = async () => {
      const samples = await loom.processes!.manager.slaSamples({ process: 'discharge-charge', measure: 'discharge-to-charge', limit: 100_000 });
      const res = await fetch(`${loom.url}/api/v1/slas`);
      const { items } = (await res.json()) as { items: Array<{ name: string; total: number; met: number; measure?: string }> };
      const found = items.find((i) => i.name === 'discharge-to-charge');
      return found && samples.length > 0 && found.total === samples.length ? { found, samples } : undefined;
    };
    const { found, samples } = await waitFor(read, 'the SLA to count every recorded sample', 20_000);
    expect(found).toMatchObject({ measure: 'discharge-to-charge', met: samples.filter((s) => s.durationMs <= withinMs).length });
  });
});

const runBrowser = browserAvailable('console processes (browser)');

describe.skipIf(!runBrowser)('console Processes page in chromium against the running estate', () => {
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
    expect(pageErrors).toEqual([]);
  });
  const open = async (hash: string) => {
    page = await session.context.newPage();
    pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${baseUrl}/${hash}`);
  };
  const tiles = async () => {
    const out: Record<string, string> = {};
    for (const s of ['open', 'waiting', 'completed', 'exception']) out[s] = ((await page.locator(`[data-tile="${s}"] b`).textContent()) ?? '').replace(/,/g, '');
    return out;
  };
  const apiCounts = async () => {
    const { counts } = await processes();
    return Object.fromEntries(['open', 'waiting', 'completed', 'exception'].map((s) => [s, String(counts[s as ProcessStatus] ?? 0)]));
  };

  it('is enabled in the navigation and lists instances with counts by status that match the API', async () => {
    await open('#/');
    await page.locator('nav.side a', { hasText: 'Processes' }).click();
    await page.locator('table.processes').waitFor();
    // The processes may still sweep timers: compare the tiles with the API until both agree.
    await until(async () => JSON.stringify(await tiles()) === JSON.stringify(await apiCounts())).toBe(true);
    const rows = page.locator('table.processes tbody tr');
    const api = await processes('?limit=50');
    await until(() => rows.count()).toBe(api.items.length);
    const firstRow = rows.first();
    expect(await firstRow.locator('td').nth(0).textContent()).toMatch(/^(implant-case|item-stock|discharge-charge|[a-z-]+)$/);
    // every waiting row says why it waits
    const waiting = page.locator('table.processes tbody tr[data-status="waiting"]');
    for (let i = 0; i < (await waiting.count()); i++) expect((await waiting.nth(i).locator('td').nth(3).textContent())?.trim()).not.toBe('');
    await screenshot(page, 'console-processes');
  });

  it('filters by status and by process', async () => {
    const { counts } = await processes();
    const status = (['waiting', 'completed', 'open', 'exception'] as const).find((s) => (counts[s] ?? 0) > 0);
    if (!status) throw new Error('no status with instances');
    await open('#/processes');
    await page.locator('table.processes').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption(status);
    const rows = page.locator('table.processes tbody tr');
    await until(async () => {
      const all = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
      return all.length > 0 && all.every((s) => s === status);
    }).toBe(true);
    expect(page.url()).toContain(`status=${status}`);
    await until(() => rows.count()).toBe(Math.min(50, (await processes(`?status=${status}`)).items.length));

    const [one] = (await processes('?limit=1')).items;
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await until(async () => (await page.getByLabel('Process', { exact: true }).locator('option').allTextContents()).includes(one.process)).toBe(true);
    await page.getByLabel('Process', { exact: true }).selectOption(one.process);
    await until(async () => {
      const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent));
      return names.length > 0 && names.every((n) => n === one.process);
    }).toBe(true);
    await screenshot(page, 'console-processes-filtered');
  });

  it('opens an instance: wait cause, timeline of applied events with times, effects and state', async () => {
    const { items } = await processes('?limit=500');
    // prefer one with effects in its timeline, so the effects table has rows to show
    let chosen: ProcessDetail | undefined;
    for (const i of items) {
      const d = (await (await fetch(`${loom.url}/api/v1/processes/${encodeURIComponent(i.id)}`)).json()) as ProcessDetail;
      if (d.timeline.some((t) => t.effects.length > 0)) {
        chosen = d;
        break;
      }
    }
    if (!chosen) throw new Error('no instance with effects');
    await open(`#/processes?key=${encodeURIComponent(chosen.key)}&process=${encodeURIComponent(chosen.process)}`);
    const row = page.locator(`tr[data-instance="${chosen.id}"]`);
    await row.click();
    await page.locator('table.timeline').waitFor();
    const timelineRows = page.locator('table.timeline tbody tr');
    await until(async () => (await timelineRows.count()) >= chosen.timeline.length).toBe(true);
    expect(await timelineRows.first().locator('td').nth(1).textContent()).toBe(chosen.timeline[0].eventType);
    expect(await timelineRows.first().locator('td').nth(3).textContent()).toMatch(/\d\d:\d\d:\d\d/);
    const effectCount = chosen.timeline.reduce((a, t) => a + t.effects.length, 0);
    await until(async () => (await page.locator('table.effects tbody tr').count()) >= effectCount).toBe(true);
    const firstEffect = chosen.timeline.flatMap((t) => t.effects)[0];
    expect(await page.locator('table.effects').textContent()).toContain(firstEffect.key);
    const state = JSON.parse((await page.locator('pre.state').textContent()) ?? 'null') as unknown;
    expect(state).toBeTruthy();
    const cause = page.locator('section[aria-label="Wait cause"]');
    if (chosen.waitingFor) expect(await cause.textContent()).toContain(chosen.waitingFor);
    expect(await page.locator('h1').textContent()).toContain(chosen.key);
    await screenshot(page, 'console-process-instance');
  });
});
