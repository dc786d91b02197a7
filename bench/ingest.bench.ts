// Ingest benchmark: HTTP in → journal (durable) → 202 → outbox → HTTP out, beside a naive server
// doing one fsynced INSERT per message (SQLite WAL, synchronous=FULL), same server shape, same run.
// The load generator (autocannon) and the delivery receiver each run in their own child process, so
// the measured server's event loop does only the server's work (they still share the 2 cores).
// `npm run bench -- ingest [seconds]`; INGEST_ONLY=naive|intake|loom runs one server (for profiling).
import Database from 'better-sqlite3';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readHl7Header } from '../src/codecs/hl7v2/index.js';
import { HttpOutbound } from '../src/connectors/http/index.js';
import { Engine } from '../src/engine/index.js';
import { ContentTypes } from '../src/kernel/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';

const seconds = Number(process.argv[3] ?? 10);
const connections = 64;
const only = process.env.INGEST_ONLY;
const now = () => performance.timeOrigin + performance.now(); // wall-clock ms, comparable across processes

/** What the parent needs of an autocannon run (plain data: it crosses the IPC channel). */
interface Load {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
}

function listen(handler: (body: Buffer) => Promise<number>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handler(Buffer.concat(chunks)).then(
        (status) => ((res.statusCode = status), res.end()),
        () => ((res.statusCode = 503), res.end()),
      );
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}
const portOf = (s: http.Server) => (s.address() as AddressInfo).port;
const close = (s: http.Server) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())));

/** Child process roles: `load` runs autocannon against a port, `receiver` is the delivery target. */
async function child(role: string): Promise<void> {
  const send = (m: unknown) => process.send?.(m);
  if (role === 'receiver') {
    let delivered = 0;
    let last = 0;
    const server = await listen(async () => ((delivered++, (last = now())), 200));
    process.on('message', (m: { op: string }) => {
      if (m.op === 'count') send({ delivered, last });
      else void close(server).then(() => process.exit(0));
    });
    send({ port: portOf(server) });
    return;
  }
  const { default: autocannon } = await import('autocannon'); // only the load child loads it
  process.once('message', (m: { port: number; seconds: number; connections: number }) => {
    let seq = 0;
    const adt = () =>
      `MSH|^~\\&|EPIC|MAIN|LOOM|HOSP|20240101120000||ADT^A01|B${seq++}|P|2.5\rEVN|A01|20240101120000\rPID|1||MRN${seq % 5000}^^^HOSP^MR||DOE^JANE||19800101|F\rPV1|1|I|4W^401^1\r`;
    void autocannon({
      url: `http://127.0.0.1:${m.port}/`, connections: m.connections, duration: m.seconds,
      requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: adt() }) }],
    }).then((r) => {
      const load: Load = { rate: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors };
      send(load);
      process.exit(0);
    });
  });
  send({ ready: true });
}

function spawn(role: string): { proc: ChildProcess; next: <T>() => Promise<T> } {
  const proc = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, INGEST_ROLE: role } });
  const next = <T>() => new Promise<T>((resolve) => proc.once('message', (m) => resolve(m as T)));
  return { proc, next };
}

/** Run autocannon in a child process against `port`; resolves with its figures. */
async function drive(port: number): Promise<Load> {
  const { proc, next } = spawn('load');
  await next<{ ready: true }>();
  const done = next<Load>();
  proc.send({ port, seconds, connections });
  return done;
}

async function runLoom(dir: string, deliver: boolean) {
  const receiver = spawn('receiver');
  const { port: receiverPort } = await receiver.next<{ port: number }>();
  const count = () => {
    const reply = receiver.next<{ delivered: number; last: number }>();
    receiver.proc.send({ op: 'count' });
    return reply;
  };
  const engine = new Engine({ store: await openSqliteStore({ dataDir: dir }), headerReaders: { [ContentTypes.hl7v2]: readHl7Header } });
  engine.applyChannels([{
    name: 'adt', sourceSystem: 'ehr', contentType: ContentTypes.hl7v2,
    destinations: deliver ? [{ name: 'erp', connector: new HttpOutbound({ url: `http://127.0.0.1:${receiverPort}/`, method: 'POST', headers: {}, timeoutMs: 5000 }) }] : [],
  }]);
  await engine.start();
  let accepted = 0;
  const server = await listen(async (body) => {
    const r = await engine.receive({ channel: 'adt', payload: new Uint8Array(body) });
    if (r.outcome === 'accepted') accepted++;
    return 202;
  });
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const result = await drive(portOf(server));
  const deadline = Date.now() + 120_000;
  let seen = await count();
  while (deliver && seen.delivered < accepted && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    seen = await count();
  }
  const e2eSeconds = (seen.last - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const commits = engine.store.stats();
  const rss = process.memoryUsage().rss;
  await close(server);
  await engine.stop();
  receiver.proc.send({ op: 'close' });
  return {
    result, accepted, delivered: seen.delivered, e2eRate: seen.delivered / e2eSeconds, commits, rss,
    cpuMsPerMsg: (cpu.user + cpu.system) / 1000 / Math.max(1, accepted),
  };
}

async function runNaive(dir: string) {
  const db = new Database(path.join(dir, 'naive.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, control_id TEXT, payload BLOB, received_at INTEGER)');
  const insert = db.prepare('INSERT INTO messages (control_id, payload, received_at) VALUES (?, ?, ?)');
  const server = await listen(async (body) => {
    insert.run(readHl7Header(body).controlId, body, Date.now()); // one transaction, one fsync per message
    return 202;
  });
  const result = await drive(portOf(server));
  await close(server);
  db.close();
  return { result };
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`ingest bench, ${seconds}s per server, ${connections} connections: ${describeMachine(machine)}`);
  const load = os.loadavg()[0];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loom-bench-'));
  try {
    if (only) {
      const r = only === 'naive' ? await runNaive(tmp) : await runLoom(path.join(tmp, only), only === 'loom');
      console.log(JSON.stringify(r));
      return;
    }
    const naive = await runNaive(tmp);
    const intake = await runLoom(path.join(tmp, 'loom-intake'), false);
    const loom = await runLoom(path.join(tmp, 'loom'), true);
    const row = (name: string, r: Load, extra: string) => `| ${name} | ${Math.round(r.rate)} | ${r.p50} | ${r.p99} | ${r.errors} | ${extra} |`;
    const ratio = intake.result.rate / naive.result.rate;
    const body = [
      `HTTP POST of HL7 v2 ADT (~180 bytes), autocannon ${connections} connections × ${seconds}s on 127.0.0.1; 202 only after the durable commit.`,
      'autocannon and the delivery receiver run in their own child processes (same 2 cores); RSS and CPU are the server process only.',
      '',
      '| server | acked msg/s | p50 ms | p99 ms | errors | notes |',
      '|---|---|---|---|---|---|',
      row('naive: one INSERT per message, WAL + synchronous=FULL', naive.result, 'journal only, no delivery'),
      row('Loom intake only: group commit, no destinations (same work as naive)', intake.result,
        `${intake.commits.writes} writes in ${intake.commits.commits} commits; ${intake.cpuMsPerMsg.toFixed(3)} CPU ms/msg`),
      row('Loom: group commit → outbox → HTTP delivery', loom.result,
        `end to end ${Math.round(loom.e2eRate)} msg/s delivered (${loom.delivered}/${loom.accepted}); ${loom.commits.writes} writes in ${loom.commits.commits} commits; ${loom.cpuMsPerMsg.toFixed(3)} CPU ms/msg; RSS ${Math.round(loom.rss / 2 ** 20)} MB`),
      '',
      `Loom intake / naive acked throughput: ${ratio.toFixed(2)}×; Loom end to end delivered / naive acked: ${(loom.e2eRate / naive.result.rate).toFixed(2)}×. Target: ≥ 3,000 durable msg/s end to end. Load average at start: ${load.toFixed(1)} on ${os.cpus().length} cores (shared machine).`,
    ].join('\n');
    console.log(body);
    recordResult('ingest', machine, body);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const role = process.env.INGEST_ROLE;
if (role) await child(role);
else await main();
