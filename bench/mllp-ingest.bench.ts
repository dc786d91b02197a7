// MLLP ingest: 8 connections → server → durable commit → ACK, two load shapes: synchronous senders
// (send, wait for the ACK, send) and pipelining senders (4 frames in flight per connection, like
// e2e-latency's max row). Loom (MllpServer + Engine + SQLite store with group commit, the codec
// bindings of `loom start`: original mode, header read + full validation before the ACK) beside a
// naive Node MLLP server doing one fsynced SQLite insert per message (better-sqlite3, WAL,
// synchronous=FULL), same run. Each server runs in its own child process; this process only drives
// load and measures.
// Loom and the naive server are measured in alternating rounds (the order flips each round, so a
// disk or neighbour that gets busier during the run does not flatter one side), medians reported,
// with the load average and the data folder's fdatasync latency beside them. `--baseline=DIR` adds
// the Loom of another checkout (a git worktree of a baseline commit) to the same rounds.
//   npm run bench -- mllp-ingest [seconds=10] [--rounds=3] [--baseline=/path/to/checkout]
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeMllpFrame, MllpDecoder } from '../src/codecs/mllp/index.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';

const CONNECTIONS = 8;
/** Load shapes: frames in flight per connection (1 = synchronous sender). */
const SHAPES = [
  { load: `${CONNECTIONS} × 1 (synchronous)`, inflight: 1 },
  { load: `${CONNECTIONS} × 4 (pipelined)`, inflight: 4 },
];
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
  const { codecBindings } = await import('../src/app/codec-bindings.js');
  const { MllpServer } = await import('../src/connectors/mllp/index.js');
  const store = await openSqliteStore({ dataDir });
  const engine = new Engine({ store, ...codecBindings });
  // as `loom start` configures an original-mode channel: validation before the ACK (AE/AR on errors)
  engine.applyChannels([{ name: 'adt', sourceSystem: 'ehr', contentType: 'x-application/hl7-v2+er7', ackMode: 'original', validateBeforeAck: true, destinations: [] }]);
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

interface Run { name: string; load: string; messages: number; seconds: number; p50: number; p99: number; rssMiB: number; errors: number; cpuMsPerMsg: number }

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Math.round(Number.parseInt(line.replace(/\D+/g, ''), 10) / 1024) : NaN;
}

/** User + system CPU of a process in ms (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A server to measure: its role in the bench file, and the checkout whose bench file (and Loom) runs it. */
interface Contender { name: string; role: 'loom' | 'naive'; script: string }

async function startServer(contender: Contender, dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const kind = contender.role;
  const child = spawn(process.execPath, ['--import', 'tsx', contender.script, `--serve=${kind}`, `--data=${dataDir}`], { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.dirname(path.dirname(contender.script)) });
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

/**
 * One connection with `inflight` senders on it: each sends, waits for its ACK (ACKs come back in
 * order per connection), sends the next, until the deadline. Latency per message.
 */
async function connection(port: number, prefix: string, inflight: number, until: number, latencies: number[], counter: { errors: number }): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((r, j) => { socket.once('connect', r); socket.once('error', j); });
  const decoder = new MllpDecoder();
  const waiting: Array<(ack: Buffer) => void> = [];
  socket.on('data', (c: Buffer) => { for (const f of decoder.push(c)) waiting.shift()?.(f); });
  let seq = 0;
  await Promise.all(Array.from({ length: inflight }, async () => {
    while (Date.now() < until) {
      const frame = encodeMllpFrame(adt(`${prefix}-${seq++}`));
      const t0 = process.hrtime.bigint();
      const ack = await new Promise<Buffer>((r) => { waiting.push(r); socket.write(frame); });
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (!ack.includes('MSA|AA|')) counter.errors++;
    }
  }));
  socket.destroy();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

async function measure(contender: Contender, seconds: number): Promise<Run[]> {
  const kind = contender.name;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `loom-bench-${kind}-`));
  const { child, port } = await startServer(contender, dataDir);
  const runs: Run[] = [];
  try {
    for (const [s, shape] of SHAPES.entries()) {
      const counter = { errors: 0 };
      // warm-up: JIT, SQLite page cache
      await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => connection(port, `W${s}-${c}`, shape.inflight, Date.now() + 1000, [], counter)));
      counter.errors = 0;
      const cpu0 = cpuMs(child.pid!);
      const latencies: number[] = [];
      const start = Date.now();
      await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => connection(port, `C${s}-${c}`, shape.inflight, start + seconds * 1000, latencies, counter)));
      const elapsed = (Date.now() - start) / 1000;
      const cpu = cpuMs(child.pid!) - cpu0;
      latencies.sort((a, b) => a - b);
      runs.push({ name: kind, load: shape.load, messages: latencies.length, seconds: elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rssMiB: rssMiB(child.pid!), errors: counter.errors, cpuMsPerMsg: cpu / Math.max(1, latencies.length) });
    }
    return runs;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** fdatasync latency of a 4 KiB append in the folder the servers write to (ms: p50, p99). */
function fdatasyncLatency(dir: string, samples = 200): { p50: number; p99: number } {
  const file = path.join(mkdtempSync(path.join(dir, 'loom-fsync-')), 'probe');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096, 7);
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      writeSync(fd, block);
      const t0 = process.hrtime.bigint();
      fdatasyncSync(fd);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  } finally {
    closeSync(fd);
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function load(): string {
  return os.loadavg().map((l) => l.toFixed(1)).join(' ');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const seconds = Number(args.find((a) => /^\d+$/.test(a)) ?? 10);
  const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 3);
  const baseline = args.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
  const machine = machineInfo();
  const contenders: Contender[] = [
    { name: 'naive', role: 'naive', script: self },
    { name: 'loom', role: 'loom', script: self },
    ...(baseline ? [{ name: 'loom-baseline', role: 'loom' as const, script: path.join(path.resolve(baseline), 'bench', 'mllp-ingest.bench.ts') }] : []),
  ];
  const loadAtStart = os.loadavg()[0]!;
  const fsync = fdatasyncLatency(os.tmpdir());
  const warning = loadAtStart > 1.0 ? `WARNING: load average ${loadAtStart.toFixed(1)} at the start (above 1.0): the machine is busy, so these figures understate what a quiet machine does and the ratios are noisy.\n\n` : '';
  console.log(`${warning}MLLP ingest, ${CONNECTIONS} connections, ${seconds} s per load shape, ${rounds} alternating rounds — ${describeMachine(machine)}; fdatasync p50 ${fsync.p50.toFixed(2)} ms p99 ${fsync.p99.toFixed(2)} ms`);
  const byContender = new Map<string, Run[][]>(contenders.map((c) => [c.name, []]));
  const roundLoads: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const runs = await measure(contender, seconds);
      byContender.get(contender.name)!.push(runs);
      console.log(`round ${r + 1} ${contender.name}: ${runs.map((x) => `${x.load} ${(x.messages / x.seconds).toFixed(0)} msg/s p50 ${x.p50.toFixed(2)} p99 ${x.p99.toFixed(2)}`).join('; ')} (load ${load()})`);
    }
    roundLoads.push(load());
  }
  /** The median over rounds of each figure, per load shape. */
  const summary = (name: string): Run[] => SHAPES.map((_, i) => {
    const all = byContender.get(name)!.map((runs) => runs[i]!);
    return { ...all[0]!, messages: median(all.map((x) => x.messages / x.seconds)), seconds: 1, p50: median(all.map((x) => x.p50)), p99: median(all.map((x) => x.p99)),
      rssMiB: median(all.map((x) => x.rssMiB)), cpuMsPerMsg: median(all.map((x) => x.cpuMsPerMsg)), errors: all.reduce((a, x) => a + x.errors, 0) };
  });
  const naive = summary('naive');
  const loom = summary('loom');
  const base = baseline ? summary('loom-baseline') : undefined;
  const label = (name: string): string => ({
    naive: 'naive Node MLLP, one fsynced SQLite insert per message',
    loom: `Loom MllpServer → Engine (SQLite group commit; header read + validation before ACK) → ACK, commit ${machine.commit}`,
    'loom-baseline': `the same Loom at the baseline checkout ${baseline ?? ''}`,
  } as Record<string, string>)[name]!;
  const rows = [...naive, ...loom, ...(base ?? [])].map((r) =>
    `| ${label(r.name)} | ${r.load} | ${r.messages.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.rssMiB} | ${r.cpuMsPerMsg.toFixed(3)} | ${r.errors} |`);
  const ratios = SHAPES.map((shape, i) => {
    const n = naive[i]!;
    const l = loom[i]!;
    const b = base?.[i];
    return `${shape.load}: throughput ${(l.messages / n.messages).toFixed(2)}×, CPU per message ${(l.cpuMsPerMsg / n.cpuMsPerMsg).toFixed(2)}×${b ? `, vs baseline ${(l.messages / b.messages).toFixed(2)}× throughput and p50 ${l.p50.toFixed(2)} vs ${b.p50.toFixed(2)} ms` : ''}`;
  });
  const body = [
    warning.trim(),
    `${CONNECTIONS} connections, each either synchronous (send, wait for ACK, send) or pipelining (4 frames in flight, ACKs in order); ${seconds} s per load shape after a 1 s warm-up; each server in its own process; ACK only after the durable commit in both. Loom runs the codec bindings of \`loom start\` on an original-mode channel (header read + full validation before the ACK); no destinations. ${rounds} rounds, the order of the servers alternating each round; medians over the rounds.`,
    '',
    `Load average at the start ${loadAtStart.toFixed(1)}, after each round: ${roundLoads.join(' | ')} (${os.cpus().length} cores). fdatasync of a 4 KiB append in ${os.tmpdir()}: p50 ${fsync.p50.toFixed(2)} ms, p99 ${fsync.p99.toFixed(2)} ms.`,
    '',
    '| server | connections × in flight | msg/s | p50 ACK ms | p99 ACK ms | server RSS MiB | server CPU ms/msg | non-AA ACKs |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Loom / naive — ${ratios.join('; ')} (target ≥ 2× throughput, synchronous ACK p50 < 1 ms, p99 < 5 ms on a quiet machine).`,
  ].filter((line, i) => i > 0 || line !== '').join('\n');
  console.log(body);
  recordResult('MLLP ingest', machine, body);
}
