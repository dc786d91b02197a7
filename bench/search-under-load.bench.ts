// Console and API responsiveness with a full store: message search (by patient id, by channel and
// status, a time window, a rare status, the newest page), one message opened, the channel list and
// the console page, timed over HTTP against `loom start` (a child process) holding 1M stored
// messages — first idle, then while the engine ingests 1,000 msg/s over HTTP (hl7-keys, HTTP delivery).
// Side by side in the same run: idle vs under load, and the naive way to find a patient's messages
// (a scan of the stored payloads, as an engine without a business-key index does).
// Goal: p95 < 200 ms for message search over 1M stored messages while ingesting 1,000 msg/s.
// `npm run bench -- search-under-load [--prefill N] [--seconds S] [--rate R]`
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { chaosDir, startLoomChild } from '../test/chaos/support/loom-process.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';
import { adtMessage, processCpuSeconds, quantile } from './support/mllp-load.js';
import { prefilledStoreDir } from './support/prefill.js';

const args = process.argv.slice(3);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const PREFILL = opt('prefill', 1_000_000);
const SECONDS = opt('seconds', 30);
const RATE = opt('rate', 1_000);
/** Queries per second from the one console client (sequential: each waits for the previous answer). */
const QUERY_GAP_MS = 50;

const machine = machineInfo();
console.log(`search-under-load on ${describeMachine(machine)}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const dataDir = await prefilledStoreDir(PREFILL, 'adt');
const { minAt, maxAt, sampleId } = (() => {
  const db = new Database(path.join(dataDir, 'loom.db'), { readonly: true });
  try {
    const r = db.prepare('SELECT min(received_at) AS minAt, max(received_at) AS maxAt FROM messages').get() as { minAt: number; maxAt: number };
    const mid = db.prepare('SELECT id FROM messages ORDER BY id LIMIT 1 OFFSET ?').get(Math.floor(PREFILL / 2)) as { id: string };
    return { minAt: r.minAt, maxAt: r.maxAt, sampleId: mid.id };
  } finally {
    db.close();
  }
})();

// The delivery target: counts what Loom delivers.
let delivered = 0;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => ((delivered++, res.writeHead(200).end())));
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const dir = chaosDir('bench-search', `version: 1
server: { port: 0 }
store: { dataDir: ${JSON.stringify(dataDir)} }
logging: { level: error }
channels:
  - name: adt
    source: ehr
    inbound: { kind: http }
    contentType: hl7v2
    steps:
      - use: hl7-keys
    destinations:
      - { name: erp, kind: http, url: ${receiverUrl}/adt, retry: { maxAttempts: 100, backoff: { base: 10ms, max: 100ms } } }
`);
const loom = await startLoomChild(dir.configFile, { timeoutMs: 120_000 });
const api = `${loom.url}/api/v1`;

/** What the console asks, by name; each answers 200 with JSON (or the console's HTML). */
const iso = (ms: number) => new Date(ms).toISOString();
const span = Math.max(1, maxAt - minAt);
let mrn = 0;
const queries: Record<string, () => string> = {
  'search by patient id (MRN)': () => `${api}/messages?q=MRN${(mrn = (mrn + 7919) % 50_000)}`,
  'search by control id': () => `${api}/messages?q=PRE${Math.floor(Math.random() * PREFILL)}`,
  'newest page (no filter)': () => `${api}/messages?limit=50`,
  'channel + status processed': () => `${api}/messages?channel=adt&status=processed&limit=50`,
  'rare status (failed)': () => `${api}/messages?status=failed&limit=50`,
  'time window (1 % of history)': () => {
    const from = minAt + Math.floor(Math.random() * span * 0.99);
    return `${api}/messages?from=${iso(from)}&to=${iso(from + span / 100)}&limit=50`;
  },
  'open one message': () => `${api}/messages/${sampleId}`,
  'channel list (dashboard)': () => `${api}/channels`,
  'console page': () => `${loom.url}/`,
};
const SEARCHES = Object.keys(queries).filter((k) => k.startsWith('search') || k.includes('page (') || k.includes('status') || k.includes('window'));

/** One console client asking each query in turn for `seconds`; latencies per query name. */
async function consoleClient(seconds: number): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(Object.keys(queries).map((k) => [k, []]));
  const end = performance.now() + seconds * 1000;
  const names = Object.keys(queries);
  for (let i = 0; performance.now() < end; i++) {
    const name = names[i % names.length];
    const t0 = performance.now();
    const res = await fetch(queries[name]());
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
    times.get(name)?.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, QUERY_GAP_MS));
  }
  return times;
}

/** Open-loop HTTP ingest at `rate` msg/s until `stop()`; counts 202s and failures. */
function ingest(rate: number): { stop(): Promise<{ sent: number; accepted: number; failed: number; seconds: number }> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(`${api}/channels/adt/messages`);
  let sent = 0;
  let accepted = 0;
  let failed = 0;
  let inFlight = 0;
  const t0 = performance.now();
  const post = (body: string) => {
    inFlight++;
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/hl7-v2', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => ((inFlight--, res.statusCode === 202 || res.statusCode === 200 ? accepted++ : failed++)));
    });
    req.on('error', () => ((inFlight--, failed++)));
    req.end(body);
  };
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    for (; sent < due; sent++) post(adtMessage(`LIVE${sent}`));
  }, 10);
  return {
    async stop() {
      clearInterval(timer);
      const seconds = (performance.now() - t0) / 1000;
      const deadline = performance.now() + 60_000;
      while (inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      agent.destroy();
      return { sent, accepted, failed, seconds };
    },
  };
}

/** The naive way: scan every stored payload for the patient id (no business-key index). */
function naivePayloadScan(reps: number): number[] {
  const db = new Database(path.join(dataDir, 'loom.db'), { readonly: true, fileMustExist: true });
  try {
    const stmt = db.prepare(`SELECT id FROM messages WHERE instr(CAST(payload AS TEXT), ?) > 0 ORDER BY id DESC LIMIT 50`);
    return Array.from({ length: reps }, (_, i) => {
      const t0 = performance.now();
      stmt.all(`|MRN${(i * 7919) % 50_000}^`);
      return performance.now() - t0;
    });
  } finally {
    db.close();
  }
}

const stats = (xs: number[]) => ({ n: xs.length, p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs) });

await consoleClient(3); // warm-up: JIT, SQLite page cache
console.log(`idle: console client for ${SECONDS} s`);
const idle = await consoleClient(SECONDS);
const naive = naivePayloadScan(5);
console.log(`naive payload scan for one MRN: p50 ${quantile(naive, 0.5).toFixed(0)} ms`);

console.log(`under load: ${RATE} msg/s HTTP ingest + console client for ${SECONDS} s`);
const delivered0 = delivered;
const cpu0 = processCpuSeconds(loom.child.pid ?? 0);
const load = ingest(RATE);
await new Promise((r) => setTimeout(r, 2000)); // let the ingest reach its rate
const loaded = await consoleClient(SECONDS);
const sent = await load.stop();
const cpu = processCpuSeconds(loom.child.pid ?? 0) - cpu0;
const drainDeadline = performance.now() + 120_000;
while (delivered - delivered0 < sent.accepted && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 50));
const deliveredUnderTest = delivered - delivered0;
const rss = loom.rssBytes();
await loom.kill('SIGTERM');
await new Promise<void>((r) => (receiver.closeAllConnections(), receiver.close(() => r())));
dir.cleanup();
rmSync(dataDir, { recursive: true, force: true });

const f = (n: number) => n.toFixed(1);
const searchP95 = (m: Map<string, number[]>) => stats(SEARCHES.flatMap((k) => m.get(k) ?? [])).p95;
const rows = Object.keys(queries).map((name) => {
  const a = stats(idle.get(name) ?? []);
  const b = stats(loaded.get(name) ?? []);
  return `| ${name} | ${a.n} | ${f(a.p50)} | ${f(a.p95)} | ${b.n} | ${f(b.p50)} | ${f(b.p95)} | ${f(b.max)} | ${(b.p95 / a.p95).toFixed(2)} |`;
});
const allSearchLoaded = searchP95(loaded);
const table = [
  `\`loom start\` as a child process on a SQLite store prefilled with ${PREFILL.toLocaleString('en')} processed ADT messages (business keys mrn, controlId), one console client asking the queries in turn (one at a time, ${QUERY_GAP_MS} ms apart) over HTTP for ${SECONDS} s idle, then ${SECONDS} s while an open-loop sender posts ${RATE} HL7 msg/s to the channel's HTTP intake (hl7-keys step, HTTP delivery to a receiver in the bench process). Latencies in ms, wall clock.`,
  '',
  `Ingest during the loaded phase: offered ${RATE}/s, accepted ${Math.round(sent.accepted / sent.seconds)}/s (${sent.accepted.toLocaleString('en')} accepted, ${sent.failed} failed), ${deliveredUnderTest.toLocaleString('en')} delivered; Loom CPU ${((cpu * 1000) / Math.max(1, sent.accepted)).toFixed(3)} ms per ingested message (queries included); Loom RSS at the end ${rss ? Math.round(rss / 2 ** 20) : '?'} MB.`,
  '',
  '| query | n idle | p50 idle | p95 idle | n loaded | p50 loaded | p95 loaded | max loaded | p95 loaded ÷ idle |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `All searches together (${SEARCHES.length} kinds): p95 ${f(searchP95(idle))} ms idle, **${f(allSearchLoaded)} ms while ingesting** — goal p95 < 200 ms: ${allSearchLoaded < 200 ? 'met' : 'NOT met'}.`,
  `Naive baseline in the same run (idle): finding one patient's messages by scanning the stored payloads (no business-key index) p50 ${f(quantile(naive, 0.5))} ms, ${(quantile(naive, 0.5) / stats(idle.get('search by patient id (MRN)') ?? []).p50).toFixed(0)}× Loom's indexed search p50.`,
].join('\n');
console.log(`\n${table}`);
recordResult('search-under-load', machine, table);
