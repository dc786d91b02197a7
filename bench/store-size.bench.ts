// Throughput with a full store: the same intake → journal → outbox → HTTP delivery run on an empty
// store and on one already holding 1M processed messages (10M with --10m), side by side in one run.
// Goal: the full store keeps ≥ 90 % of the empty store's throughput (per CPU-second and per wall second).
// `npm run bench -- store-size [--10m] [--prefill N] [--messages N] [--no-record] [--sequential-ids] [--inline-prefill] [--cpu-prof-dir D]`
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { readHl7Header } from '../src/codecs/hl7v2/index.js';
import { HttpOutbound } from '../src/connectors/http/index.js';
import { Engine } from '../src/engine/index.js';
import { ContentTypes } from '../src/kernel/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';
import { adtMessage } from './support/mllp-load.js';
import { prefillStore, prefilledStoreDir } from './support/prefill.js';

const args = process.argv.slice(3);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MESSAGES = opt('messages', 20_000);
const sizes = [0, opt('prefill', 1_000_000)];
if (args.includes('--10m')) {
  const free = statfsSync(os.tmpdir());
  const freeGiB = (free.bavail * free.bsize) / 2 ** 30;
  // ~0.6 KB per stored message with indexes: 10M needs ~6 GiB plus WAL headroom
  if (freeGiB < 10) console.error(`--10m skipped: ${freeGiB.toFixed(1)} GiB free in ${os.tmpdir()}, 10 GiB needed`);
  else sizes.push(10_000_000);
}
const machine = machineInfo();
console.log(`store-size on ${describeMachine(machine)}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

interface Result { stored: number; dbMiB: number; wallRate: number; cpuRate: number; p50: number; p99: number }

// MSH-10 control ids are random hex (GUID-like, as many senders use), so each new dedup key and
// controlId key lands at a random place in the full store's big B-trees (the costly case: more
// distinct leaf pages per commit, WAL frames and checkpoint writes). --sequential-ids: the earlier
// `S<stored>-<n>` ids, which all sort after the prefill's `PRE<n>` and so only touch the B-trees' ends.
const randomIds = !args.includes('--sequential-ids');
const controlId = (stored: number, seq: number) => (randomIds ? randomBytes(8).toString('hex') : `S${stored}-${seq}`);
// --cpu-prof-dir D: a V8 CPU profile of each measured run (not the prefill) into D, for bench/profile/summarize.ts
const profileDir = args.includes('--cpu-prof-dir') ? args[args.indexOf('--cpu-prof-dir') + 1] : undefined;
const profiler = new inspector.Session();
let profiled = 0;
if (profileDir) {
  mkdirSync(profileDir, { recursive: true });
  profiler.connect();
  await profiler.post('Profiler.enable');
}
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function run(stored: number, messages = MESSAGES): Promise<Result> {
  const p0 = performance.now();
  // a prefilled store comes from the on-disk cache (built once per size and schema, then copied)
  // (--inline-prefill: the old way, prefilled in this process just before the measured run)
  const inline = stored > 0 && args.includes('--inline-prefill');
  const dir = stored > 0 && !inline ? await prefilledStoreDir(stored, 'adt') : mkdtempSync(path.join(os.tmpdir(), 'loom-bench-size-'));
  try {
    if (inline) {
      const s = await openSqliteStore({ dataDir: dir, maxBatch: 20_000 });
      await prefillStore(s, stored, 'adt', 10_000);
      await s.close();
    }
    if (stored > 0) console.log(`prefilled ${stored.toLocaleString('en')} (${inline ? 'in process' : 'cached copy'}) in ${((performance.now() - p0) / 1000).toFixed(0)} s`);
    let delivered = 0;
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => ((delivered++, res.writeHead(200).end())));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const store = await openSqliteStore({ dataDir: dir });
    const engine = new Engine({ store, headerReaders: { [ContentTypes.hl7v2]: readHl7Header } });
    engine.applyChannels([{
      name: 'adt', sourceSystem: 'ehr', contentType: ContentTypes.hl7v2,
      destinations: [{ name: 'erp', connector: new HttpOutbound({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, method: 'POST', headers: {}, timeoutMs: 5000 }) }],
    }]);
    await engine.start();
    if (profileDir) await profiler.post('Profiler.start');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 0;
    const enc = new TextEncoder();
    const ackMs: number[] = [];
    await Promise.all(Array.from({ length: 64 }, async () => {
      while (next < messages) {
        const a0 = performance.now();
        next++;
        await engine.receive({ channel: 'adt', payload: enc.encode(adtMessage(controlId(stored, next))) });
        ackMs.push(performance.now() - a0);
      }
    }));
    while (delivered < messages) await new Promise((r) => setTimeout(r, 5));
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (profileDir) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(path.join(profileDir, `store-size-${stored}-${++profiled}.cpuprofile`), JSON.stringify(profile));
    }
    await engine.stop();
    await new Promise<void>((r) => (receiver.closeAllConnections(), receiver.close(() => r())));
    const dbMiB = statSync(path.join(dir, 'loom.db')).size / 2 ** 20;
    ackMs.sort((x, y) => x - y);
    const result = { stored, dbMiB, wallRate: messages / wall, cpuRate: messages / cpuSeconds, p50: pct(ackMs, 0.5), p99: pct(ackMs, 0.99) };
    console.log(`stored ${stored.toLocaleString('en')}: ${result.wallRate.toFixed(0)} msg/s wall, ${result.cpuRate.toFixed(0)} msg per CPU-second, receive→ACK p50 ${result.p50.toFixed(1)} ms p99 ${result.p99.toFixed(1)} ms, db ${dbMiB.toFixed(0)} MiB`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// empty, full..., empty again: the two empty runs bracket the full ones, so load drift shows
await run(0, Math.min(MESSAGES, 3000)); // warm-up: JIT and page cache, not reported
const results: Result[] = [];
results.push(await run(0));
for (const size of sizes.slice(1)) results.push(await run(size));
const emptyAgain = await run(0);
const mean = (k: 'wallRate' | 'cpuRate' | 'p50' | 'p99') => (results[0][k] + emptyAgain[k]) / 2;
const empty = { wallRate: mean('wallRate'), cpuRate: mean('cpuRate'), p50: mean('p50'), p99: mean('p99') };
const rows = results.slice(1).map((r) => `| ${r.stored.toLocaleString('en')} | ${r.dbMiB.toFixed(0)} | ${r.wallRate.toFixed(0)} | ${r.cpuRate.toFixed(0)} | ${(r.cpuRate / empty.cpuRate * 100).toFixed(0)} % | ${(r.wallRate / empty.wallRate * 100).toFixed(0)} % | ${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} | ${r.cpuRate / empty.cpuRate >= 0.9 ? 'met' : 'NOT met'} |`);
const table = [
  `${MESSAGES.toLocaleString('en')} ADT messages through intake → journal → outbox → HTTP delivery (64 concurrent receives, engine in-process, ${randomIds ? 'random' : 'sequential'} MSH-10 control ids). Empty store measured before and after the full ones (${results[0].cpuRate.toFixed(0)} and ${emptyAgain.cpuRate.toFixed(0)} msg per CPU-second); the full store is a copy of a cached prefill (bench/support/prefill.ts), written back to disk before the run; the shared machine makes wall rates noisy, so the goal is judged on CPU-seconds.`,
  '',
  '| messages already stored | db MiB | msg/s wall | msg per CPU-s | CPU ratio to empty | wall ratio to empty | receive→ACK p50 / p99 ms | goal ≥ 90 % |',
  '|---|---|---|---|---|---|---|---|',
  `| 0 (mean of 2) | — | ${empty.wallRate.toFixed(0)} | ${empty.cpuRate.toFixed(0)} | 100 % | 100 % | ${empty.p50.toFixed(1)} / ${empty.p99.toFixed(1)} | — |`,
  ...rows,
].join('\n');
console.log(`\n${table}`);
// --no-record: exploratory runs (profiling) leave bench/RESULTS.md alone
if (!args.includes('--no-record')) recordResult('store-size', machine, table);
