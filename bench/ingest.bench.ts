// Ingest benchmark: HTTP in → journal (durable) → 202 → outbox → HTTP out, beside a naive server
// doing one fsynced INSERT per message (SQLite WAL, synchronous=FULL), same server shape, same run.
// `npm run bench -- ingest [seconds]`
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readHl7Header } from '../src/codecs/hl7v2/index.js';
import { HttpOutbound } from '../src/connectors/http/index.js';
import { Engine } from '../src/engine/index.js';
import { ContentTypes } from '../src/kernel/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';

const seconds = Number(process.argv[3] ?? 10);
const connections = 64;
let seq = 0;
const adt = () =>
  `MSH|^~\\&|EPIC|MAIN|LOOM|HOSP|20240101120000||ADT^A01|B${seq++}|P|2.5\rEVN|A01|20240101120000\rPID|1||MRN${seq % 5000}^^^HOSP^MR||DOE^JANE||19800101|F\rPV1|1|I|4W^401^1\r`;

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

async function drive(port: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/`, connections, duration: seconds,
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: adt() }) }],
  });
}

async function runLoom(dir: string, deliver: boolean) {
  let delivered = 0;
  let lastDelivery = 0;
  const receiver = await listen(async () => ((delivered++, (lastDelivery = performance.now())), 200));
  const engine = new Engine({ store: await openSqliteStore({ dataDir: dir }), headerReaders: { [ContentTypes.hl7v2]: readHl7Header } });
  engine.applyChannels([{
    name: 'adt', sourceSystem: 'ehr', contentType: ContentTypes.hl7v2,
    destinations: deliver ? [{ name: 'erp', connector: new HttpOutbound({ url: `http://127.0.0.1:${portOf(receiver)}/`, method: 'POST', headers: {}, timeoutMs: 5000 }) }] : [],
  }]);
  await engine.start();
  let accepted = 0;
  const server = await listen(async (body) => {
    const r = await engine.receive({ channel: 'adt', payload: new Uint8Array(body) });
    if (r.outcome === 'accepted') accepted++;
    return 202;
  });
  const t0 = performance.now();
  const result = await drive(portOf(server));
  const deadline = Date.now() + 120_000;
  while (deliver && delivered < accepted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const e2eSeconds = (lastDelivery - t0) / 1000;
  const commits = engine.store.stats();
  await close(server);
  await engine.stop();
  await close(receiver);
  return { result, accepted, delivered, e2eRate: delivered / e2eSeconds, commits, rss: process.memoryUsage().rss };
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

const machine = machineInfo();
console.log(`ingest bench, ${seconds}s per server, ${connections} connections: ${describeMachine(machine)}`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'loom-bench-'));
try {
  const naive = await runNaive(tmp);
  const intake = await runLoom(path.join(tmp, 'loom-intake'), false);
  const loom = await runLoom(path.join(tmp, 'loom'), true);
  const row = (name: string, r: autocannon.Result, extra: string) =>
    `| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx + r.errors} | ${extra} |`;
  const ratio = intake.result.requests.average / naive.result.requests.average;
  const body = [
    `HTTP POST of HL7 v2 ADT (~180 bytes), autocannon ${connections} connections × ${seconds}s on 127.0.0.1; 202 only after the durable commit.`,
    '',
    '| server | acked msg/s | p50 ms | p99 ms | errors | notes |',
    '|---|---|---|---|---|---|',
    row('naive: one INSERT per message, WAL + synchronous=FULL', naive.result, 'journal only, no delivery'),
    row('Loom intake only: group commit, no destinations (same work as naive)', intake.result, `${intake.commits.writes} writes in ${intake.commits.commits} commits`),
    row('Loom: group commit → outbox → HTTP delivery', loom.result,
      `end to end ${Math.round(loom.e2eRate)} msg/s delivered (${loom.delivered}/${loom.accepted}); ${loom.commits.writes} writes in ${loom.commits.commits} commits; RSS ${Math.round(loom.rss / 2 ** 20)} MB`),
    '',
    `Loom intake / naive acked throughput: ${ratio.toFixed(2)}×. Target: ≥ 3,000 durable msg/s end to end. Load average at start: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (shared machine).`,
  ].join('\n');
  console.log(body);
  recordResult('ingest', machine, body);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
