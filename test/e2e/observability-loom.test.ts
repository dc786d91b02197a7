import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRouter } from '../../src/api/context.js';
import { problem } from '../../src/api/problem.js';
import { alertRoutes } from '../../src/api/routes/alerts.js';
import { slaRoutes } from '../../src/api/routes/slas.js';
import { startLoom, type RunningLoom } from '../../src/app/index.js';
import { createLogger, startObservability, type RunningObservability } from '../../src/observability/index.js';
import { eventually, startReceiver, type TestReceiver } from '../support/receiver.js';

// A running Loom under a small load: /metrics moves with traffic, no PHI reaches the log output
// (a careless user step logs whole payloads at info on purpose), and alerts/SLAs judge the
// real engine through their API routes.

const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-obs-'));
const lines: string[] = [];
let loom: RunningLoom;
let erp: TestReceiver;
let hook: TestReceiver;
let obs: RunningObservability;

/** Made-up patients: every value must stay out of the log output. */
const PATIENTS = Array.from({ length: 12 }, (_, i) => ({
  family: `QUIXANDER${String.fromCharCode(65 + i)}`,
  given: `ZEBEDIAH${String.fromCharCode(75 + i)}`,
  mrn: `MRN7734${String(i).padStart(3, '0')}`,
  dob: `1948031${i % 10}`,
  ssn: `321-54-${9870 + i}`,
}));

const adt = (p: (typeof PATIENTS)[number], i: number) =>
  [
    `MSH|^~\\&|EPIC|MAIN|LOOM|HUB|20260304101500||ADT^A01|OBS-${i}|P|2.5`,
    `PID|1||${p.mrn}^^^HOSP^MR||${p.family}^${p.given}||${p.dob}|F|||1 Elm St^^Springfield||555-0199|||||${p.ssn}`,
    'PV1|1|I|ICU^12^1',
  ].join('\r');

const metric = (text: string, series: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
};
const scrape = async () => (await fetch(`${loom.url}/metrics`)).text();
const post = (channel: string, body: string, type = 'x-application/hl7-v2+er7') =>
  fetch(`${loom.url}/api/v1/channels/${channel}/messages`, { method: 'POST', headers: { 'content-type': type }, body });

beforeAll(async () => {
  erp = await startReceiver();
  hook = await startReceiver();
  mkdirSync(path.join(dir, 'steps'));
  // A step that logs what it should not: the logger's redaction must catch it.
  writeFileSync(
    path.join(dir, 'steps', 'chatty.ts'),
    `export default (ctx: { text(): string; logger: { info(f: object, m: string): void } }) => {
  ctx.logger.info({ payload: ctx.text(), patient: { mrn: ctx.text().split('|')[3] } }, 'received ' + ctx.text());
};\n`,
  );
  const file = path.join(dir, 'loom.config.yaml');
  writeFileSync(
    file,
    `version: 1
server: { port: 0 }
store: { dataDir: ./data }
steps: { dir: ./steps }
channels:
  - name: adt
    inbound: { kind: http }
    contentType: hl7v2
    ackMode: enhanced
    steps: [{ use: hl7-keys }, { use: chatty }]
    destinations:
      - { name: erp, kind: http, url: ${erp.url}/adt, retry: { maxAttempts: 2, backoff: { base: 20ms, max: 40ms } } }
`,
  );
  const logger = createLogger({ level: 'debug', destination: { write: (chunk: string) => void lines.push(chunk) } });
  loom = await startLoom({ configFile: file, env: {}, logger });
  obs = startObservability({
    events: loom.engine.events,
    channels: () => loom.engine.channelStatus(),
    alerts: [
      { name: 'adt-stopped', kind: 'channel-stopped', channel: 'adt', severity: 'critical', notify: [{ kind: 'webhook', url: `${hook.url}/alerts` }] },
      { name: 'adt-dead', kind: 'dead-letters', channel: 'adt', above: 0, window: '10m' },
      { name: 'adt-sla', kind: 'sla-breach', sla: 'adt-to-erp', below: 50 },
    ],
    slas: [{ name: 'adt-to-erp', channel: 'adt', destination: 'erp', within: '1m', target: 99 }],
    dataDir: path.join(dir, 'data'),
    intervalMs: 3_600_000, // the test drives evaluate() itself
    logger,
  });
}, 60_000);

afterAll(async () => {
  await obs?.stop();
  await loom?.stop();
  await erp?.close();
  await hook?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('observability of a running Loom', () => {
  it('moves the message, delivery and latency series of /metrics with traffic', async () => {
    const before = await scrape();
    const received = (t: string) => metric(t, 'loom_channel_messages_total{channel="adt",status="received"}');
    const delivered = (t: string) => metric(t, 'loom_delivery_total{channel="adt",destination="erp",outcome="delivered"}');
    for (const [i, p] of PATIENTS.entries()) expect((await post('adt', adt(p, i))).status).toBe(202);
    await eventually(() => erp.effects.size === PATIENTS.length, 15_000, 'all deliveries');
    await eventually(async () => delivered(await scrape()) - delivered(before) === PATIENTS.length, 10_000, 'delivered counter');
    const after = await scrape();
    expect(received(after) - received(before)).toBe(PATIENTS.length);
    expect(metric(after, 'loom_delivery_latency_seconds_count{channel="adt",destination="erp"}')).toBeGreaterThanOrEqual(PATIENTS.length);
    expect(metric(after, 'loom_step_duration_seconds_count{channel="adt",step="hl7-keys"}')).toBeGreaterThanOrEqual(PATIENTS.length);
    // sampled at scrape time: the store's size, the outbox, the process's RSS and event-loop lag
    expect(metric(after, 'loom_store_size_bytes')).toBeGreaterThan(0);
    expect(metric(after, 'loom_outbox_depth{channel="adt",destination="erp"}')).toBe(0);
    expect(metric(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('reports the SLA per message and the enriched channel status', async () => {
    const res = await slaRoutes({ slas: obs.slas }).request('/slas');
    const { items } = (await res.json()) as { items: Array<{ name: string; total: number; percentMet: number; ok: boolean }> };
    expect(items).toEqual([expect.objectContaining({ name: 'adt-to-erp', total: PATIENTS.length, percentMet: 100, ok: true })]);
    const status = (await loom.engine.channelStatus()).find((c) => c.name === 'adt')!;
    expect(status.received).toBe(PATIENTS.length);
    expect(status.destinations).toEqual([expect.objectContaining({ name: 'erp', circuit: 'closed', delivered: PATIENTS.length, dead: 0, pending: 0 })]);
  });

  it('fires, notifies, silences and resolves alerts against the engine', async () => {
    // Mounted the way src/api/app.ts mounts resource routes: errors answer problem+json.
    const routes = newRouter();
    routes.onError((error, c) => problem(c, error));
    routes.route('/', alertRoutes({ alerts: obs.alerts }));
    const view = async () => (await (await routes.request('/alerts')).json()) as { rules: Array<{ name: string; state: string }>; firing: Array<{ name: string; message: string }>; history: Array<{ name: string; event: string }> };
    await obs.alerts.evaluate();
    expect((await view()).firing).toEqual([]);

    await loom.engine.pause('adt', { actor: 'test' });
    erp.failWith = 503;
    await obs.alerts.evaluate();
    expect((await view()).firing.map((f) => f.name)).toEqual(['adt-stopped']);
    await eventually(() => hook.effects.size + hook.requests > 0, 5_000, 'the alert webhook');
    expect(JSON.parse([...hook.effects.values()][0])).toMatchObject({ name: 'adt-stopped', state: 'firing', severity: 'critical' });

    const silence = await routes.request('/alerts/adt-stopped/silence', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ minutes: 30, reason: 'EHR upgrade' }) });
    expect(silence.status).toBe(200);
    const unknown = await routes.request('/alerts/nope/silence', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ minutes: 30, reason: 'x' }) });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('api.not-found');

    await loom.engine.resume('adt', { actor: 'test' });
    expect((await post('adt', adt(PATIENTS[0], 99))).status).toBe(202);
    await eventually(async () => (await loom.engine.channelStatus())[0].destinations[0].dead === 1, 15_000, 'a dead letter');
    await obs.alerts.evaluate();
    const v = await view();
    expect(v.firing.map((f) => f.name)).toEqual(['adt-dead']);
    expect(v.history.map((h) => `${h.name}:${h.event}`)).toEqual(['adt-stopped:firing', 'adt-stopped:silenced', 'adt-stopped:resolved', 'adt-dead:firing']);
    // Resolved while silenced: the webhook heard only the firing.
    expect(hook.requests).toBe(1);
    erp.failWith = undefined;
  });

  it('keeps patient names, MRNs, birth dates and SSNs out of the log output', async () => {
    // A header the engine cannot read is rejected with its raw bytes: still no PHI in the logs.
    const p = PATIENTS[1];
    const bad = await post('adt', `PID|1||${p.mrn}||${p.family}^${p.given}||${p.dob}|||||||||||${p.ssn}`);
    expect(bad.status).toBe(422);
    await eventually(() => lines.some((l) => l.includes('"msg":"received ')), 5_000, 'the chatty step to log');
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(PATIENTS.length);
    for (const patient of PATIENTS) {
      for (const value of [patient.family, patient.given, patient.mrn, patient.dob, patient.ssn]) expect(text).not.toContain(value);
    }
    // The logs stay useful: channel, control ids and alert names are there.
    expect(text).toContain('OBS-3');
    expect(text).toContain('adt-stopped');
    expect(text).toContain('[REDACTED]');
  });
});
