// Profiling harness for Loom issue 8: Loom CPU per message on the MLLP path vs the HTTP intake path,
// same process, same engine shape, same in-flight count, same message. This process is the server
// (Engine + SQLite group commit + MllpServer + a plain HTTP intake like bench/ingest.bench.ts);
// a forked child drives the load, so process.cpuUsage() here is Loom's work only.
//   node --import tsx bench/profile/mllp-vs-http.ts [--only=mllp|http] [--messages=4000] [--reps=5]
//        [--conns=8] [--inflight=4] [--deliver]
//   add `--cpu-prof --cpu-prof-dir=/tmp/prof` before --import to profile, then
//   node --import tsx bench/profile/summarize.ts /tmp/prof/*.cpuprofile
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name: string, def: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

interface LoadOrder { kind: 'mllp' | 'http'; port: number; messages: number; conns: number; inflight: number; tag: string }

const adt = (id: string): string =>
  `MSH|^~\\&|EPIC|MAIN|LOOM|HOSP|20240101120000||ADT^A01|${id}|P|2.5\rEVN|A01|20240101120000\rPID|1||MRN${id}^^^HOSP^MR||DOE^JANE||19800101|F\rPV1|1|I|4W^401^1\r`;

/** Load child: runs orders from the parent, answers when every message was acknowledged. */
async function loadChild(): Promise<void> {
  const { PipelinedMllp } = await import('../support/mllp-load.js');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let delivered = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => (delivered++, res.writeHead(200).end('{}')));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const postOne = (port: number, body: string): Promise<number> => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { 'content-type': 'x-application/hl7-v2+er7', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
  process.on('message', async (m: LoadOrder | { op: 'delivered' } | { op: 'exit' }) => {
    if ('op' in m) {
      if (m.op === 'delivered') process.send?.({ delivered });
      else process.exit(0);
      return;
    }
    let next = 0;
    let bad = 0;
    const take = (): number | undefined => (next < m.messages ? next++ : undefined);
    if (m.kind === 'mllp') {
      const conns = await Promise.all(Array.from({ length: m.conns }, () => PipelinedMllp.open('127.0.0.1', m.port)));
      await Promise.all(conns.flatMap((c) => Array.from({ length: m.inflight }, async () => {
        for (let i = take(); i !== undefined; i = take()) if (!(await c.send(adt(`${m.tag}${i}`))).includes('MSA|AA|')) bad++;
      })));
      for (const c of conns) c.close();
    } else {
      await Promise.all(Array.from({ length: m.conns * m.inflight }, async () => {
        for (let i = take(); i !== undefined; i = take()) if ((await postOne(m.port, adt(`${m.tag}${i}`))) !== 202) bad++;
      }));
    }
    process.send?.({ done: true, bad });
  });
  process.send?.({ receiverPort: (receiver.address() as AddressInfo).port });
}

async function server(): Promise<void> {
  const { Engine } = await import('../../src/engine/index.js');
  const { openSqliteStore } = await import('../../src/store/index.js');
  const { readHl7Header } = await import('../../src/codecs/hl7v2/index.js');
  const { MllpServer } = await import('../../src/connectors/mllp/index.js');
  const only = arg('only', '');
  const messages = Number(arg('messages', '4000'));
  const reps = Number(arg('reps', '5'));
  const conns = Number(arg('conns', '8'));
  const inflight = Number(arg('inflight', '4'));
  const deliver = flag('deliver');

  const load = fork(fileURLToPath(import.meta.url), ['--role=load'], { execArgv: ['--import', 'tsx'], env: { ...process.env, NODE_OPTIONS: '' } });
  const next = <T>(): Promise<T> => new Promise((r) => load.once('message', (m) => r(m as T)));
  const { receiverPort } = await next<{ receiverPort: number }>();

  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-prof-'));
  const store = await openSqliteStore({ dataDir: dir });
  const engine = new Engine({ store, headerReaders: { 'x-application/hl7-v2+er7': readHl7Header } });
  // imported only when delivering: the HTTP connector pulls in observability
  const { HttpOutbound } = deliver ? await import('../../src/connectors/http/index.js') : { HttpOutbound: undefined };
  const destinations = HttpOutbound ? [{ name: 'erp', connector: new HttpOutbound({ url: `http://127.0.0.1:${receiverPort}/`, method: 'POST', headers: {}, timeoutMs: 5000 }) }] : [];
  engine.applyChannels([{ name: 'adt', sourceSystem: 'ehr', contentType: 'x-application/hl7-v2+er7', destinations }]);
  await engine.start();
  const mllp = new MllpServer({ channel: 'adt', host: '127.0.0.1', port: 0, maxFrameBytes: 1 << 24, idleTimeoutMs: 120_000, frameTimeoutMs: 30_000, maxConnections: 1000 });
  await mllp.start(engine);
  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      engine.receive({ channel: 'adt', payload: new Uint8Array(Buffer.concat(chunks)) }).then(
        () => ((res.statusCode = 202), res.end()),
        () => ((res.statusCode = 503), res.end()),
      );
    });
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  const ports = { mllp: mllp.port(), http: (httpServer.address() as AddressInfo).port };

  let seq = 0;
  let sentTotal = 0;
  const run = async (kind: 'mllp' | 'http', n: number): Promise<{ cpuMsPerMsg: number; rate: number; bad: number; writesPerCommit: number }> => {
    const s0 = engine.store.stats();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const done = next<{ done: true; bad: number }>();
    load.send({ kind, port: ports[kind], messages: n, conns, inflight, tag: `${kind}${seq++}-` } satisfies LoadOrder);
    const { bad } = await done;
    sentTotal += n;
    await engine.whenIdle();
    if (deliver) {
      for (;;) {
        const reply = next<{ delivered: number }>();
        load.send({ op: 'delivered' });
        if ((await reply).delivered >= sentTotal) break;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const cpu = process.cpuUsage(cpu0);
    const s1 = engine.store.stats();
    const writesPerCommit = (s1.writes - s0.writes) / Math.max(1, s1.commits - s0.commits);
    return { cpuMsPerMsg: (cpu.user + cpu.system) / 1000 / n, rate: n / ((performance.now() - t0) / 1000), bad, writesPerCommit };
  };

  const kinds = (only ? [only] : ['mllp', 'http']) as Array<'mllp' | 'http'>;
  for (const k of kinds) await run(k, Math.min(1000, messages)); // warm-up: JIT, page cache
  const results = new Map<string, number[]>(kinds.map((k) => [k, []]));
  for (let r = 0; r < reps; r++) {
    for (const k of kinds) {
      const res = await run(k, messages);
      results.get(k)!.push(res.cpuMsPerMsg);
      console.log(`rep ${r} ${k.padEnd(4)} ${res.cpuMsPerMsg.toFixed(3)} CPU-ms/msg  ${res.rate.toFixed(0)} msg/s  ${res.writesPerCommit.toFixed(1)} writes/commit  non-OK ${res.bad}`);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary = kinds.map((k) => `${k} median ${median(results.get(k)!).toFixed(3)} CPU-ms/msg`).join('; ');
  console.log(`${conns} conns × ${inflight} in flight, ${messages} msgs × ${reps} reps${deliver ? ', HTTP delivery' : ', journal only'}: ${summary}${kinds.length === 2 ? `; mllp/http ${(median(results.get('mllp')!) / median(results.get('http')!)).toFixed(2)}` : ''}`);
  load.send({ op: 'exit' });
  await mllp.stop();
  await new Promise<void>((r) => (httpServer.closeAllConnections(), httpServer.close(() => r())));
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv.includes('--role=load')) await loadChild();
else await server();
