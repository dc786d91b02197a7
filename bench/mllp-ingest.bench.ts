// MLLP ingest: 8 synchronous senders → server → durable commit → ACK.
// Loom (MllpServer + Engine + SQLite store with group commit) beside a naive Node MLLP server
// doing one fsynced SQLite insert per message (better-sqlite3, WAL, synchronous=FULL), same run.
// Each server runs in its own child process; this process only drives load and measures.
//   npm run bench -- mllp-ingest [seconds=10]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeMllpFrame, MllpDecoder } from '../src/codecs/mllp/index.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';

const CONNECTIONS = 8;
const self = fileURLToPath(import.meta.url);
const role = process.argv.find((a) => a.startsWith('--serve='))?.slice('--serve='.length);

const adt = (id: string): string => [
  `MSH|^~\\&|EPIC|NORTHWIND|LOOM|NW|20240301123000||ADT^A01^ADT_A01|${id}|P|2.5.1`,
  'EVN|A01|20240301122955',
  `PID|1||MRN${id}^^^NW^MR||DOE^JANE^Q||19580412|F|||12 MAIN ST^^SPRINGFIELD^IL^62701||555-0100`,
  'PV1|1|I|4W^412^B||||1234^SMITH^JOHN|||MED||||1|||1234^SMITH^JOHN|IN||||||||||||||||||||||||20240301120000',
  'AL1|1|DA|PCN^Penicillin|SV|Hives',
].join('\r') + '\r';

async function serveLoom(dataDir: string): Promise<number> {
  const { Engine } = await import('../src/engine/index.js');
  const { openSqliteStore } = await import('../src/store/index.js');
  const { readHl7Header } = await import('../src/codecs/hl7v2/index.js');
  const { MllpServer } = await import('../src/connectors/mllp/index.js');
  const store = await openSqliteStore({ dataDir });
  const engine = new Engine({ store, headerReaders: { 'x-application/hl7-v2+er7': readHl7Header } });
  engine.applyChannels([{ name: 'adt', sourceSystem: 'ehr', contentType: 'x-application/hl7-v2+er7', destinations: [] }]);
  await engine.start();
  const server = new MllpServer({ channel: 'adt', host: '127.0.0.1', port: 0, maxFrameBytes: 1 << 24, idleTimeoutMs: 120_000, frameTimeoutMs: 30_000, maxConnections: 1000 });
  await server.start(engine);
  return server.port();
}

async function serveNaive(dataDir: string): Promise<number> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.join(dataDir, 'naive.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, control_id TEXT, received_at INTEGER, payload BLOB)');
  const insert = db.prepare('INSERT INTO messages (control_id, received_at, payload) VALUES (?, ?, ?)');
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const decoder = new MllpDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const msh = frame.subarray(0, frame.indexOf(13)).toString('latin1').split('|');
        insert.run(msh[9], Date.now(), frame); // one fsynced transaction per message
        socket.write(encodeMllpFrame(`MSH|^~\\&|${msh[4]}|${msh[5]}|${msh[2]}|${msh[3]}|${msh[6]}||ACK^A01^ACK|A${msh[9]}|P|2.5.1\rMSA|AA|${msh[9]}\r`));
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

if (role) {
  const dataDir = process.argv.find((a) => a.startsWith('--data='))!.slice('--data='.length);
  const port = role === 'loom' ? await serveLoom(dataDir) : await serveNaive(dataDir);
  process.stdout.write(`READY ${port}\n`);
} else {
  await main();
}

interface Run { name: string; messages: number; seconds: number; p50: number; p99: number; rssMiB: number; errors: number; cpuMsPerMsg: number }

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Math.round(Number.parseInt(line.replace(/\D+/g, ''), 10) / 1024) : NaN;
}

/** User + system CPU of a process in ms (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function startServer(kind: string, dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, `--serve=${kind}`, `--data=${dataDir}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { child, port };
}

/** One sender: send, wait for the ACK, send the next, until the deadline. Latency per message. */
async function sender(port: number, prefix: string, until: number, latencies: number[], counter: { errors: number }): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((r, j) => { socket.once('connect', r); socket.once('error', j); });
  const decoder = new MllpDecoder();
  let waiting: ((ack: Buffer) => void) | undefined;
  socket.on('data', (c: Buffer) => { for (const f of decoder.push(c)) waiting?.(f); });
  for (let i = 0; Date.now() < until; i++) {
    const frame = encodeMllpFrame(adt(`${prefix}-${i}`));
    const t0 = process.hrtime.bigint();
    const ack = await new Promise<Buffer>((r) => { waiting = r; socket.write(frame); });
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!ack.includes('MSA|AA|')) counter.errors++;
  }
  socket.destroy();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

async function measure(kind: string, seconds: number): Promise<Run> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `loom-bench-${kind}-`));
  const { child, port } = await startServer(kind, dataDir);
  try {
    const counter = { errors: 0 };
    // warm-up: JIT, SQLite page cache
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => sender(port, `W${c}`, Date.now() + 1000, [], counter)));
    counter.errors = 0;
    const cpu0 = cpuMs(child.pid!);
    const latencies: number[] = [];
    const start = Date.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => sender(port, `C${c}`, start + seconds * 1000, latencies, counter)));
    const elapsed = (Date.now() - start) / 1000;
    const rss = rssMiB(child.pid!);
    const cpu = cpuMs(child.pid!) - cpu0;
    latencies.sort((a, b) => a - b);
    return { name: kind, messages: latencies.length, seconds: elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rssMiB: rss, errors: counter.errors, cpuMsPerMsg: cpu / Math.max(1, latencies.length) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const seconds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10);
  const machine = machineInfo();
  console.log(`MLLP ingest, ${CONNECTIONS} connections, ${seconds} s each — ${describeMachine(machine)}`);
  const naive = await measure('naive', seconds);
  const loom = await measure('loom', seconds);
  const rows = [naive, loom].map((r) => {
    const rate = r.messages / r.seconds;
    return `| ${r.name === 'loom' ? 'Loom MllpServer → Engine (SQLite group commit) → ACK' : 'naive Node MLLP, one fsynced SQLite insert per message'} | ${rate.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.rssMiB} | ${r.cpuMsPerMsg.toFixed(3)} | ${r.errors} |`;
  });
  const ratio = (loom.messages / loom.seconds) / (naive.messages / naive.seconds);
  const body = [
    `${CONNECTIONS} synchronous senders (send, wait for ACK, send), ${seconds} s after a 1 s warm-up; each server in its own process; ACK only after the durable commit in both.`,
    '',
    '| server | msg/s | p50 ACK ms | p99 ACK ms | server RSS MiB | server CPU ms/msg | non-AA ACKs |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Loom / naive throughput: ${ratio.toFixed(2)}× (target ≥ 2×). Load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (shared machine: figures are noisy).`,
  ].join('\n');
  console.log(body);
  recordResult('MLLP ingest', machine, body);
}
