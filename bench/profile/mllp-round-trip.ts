// One synchronous round trip, broken down: run with `node --import tsx bench/profile/mllp-round-trip.ts [connections]`.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { Engine } from '../../src/engine/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { codecBindings } from '../../src/app/codec-bindings.js';
import { MllpServer } from '../../src/connectors/mllp/index.js';
import { encodeMllpFrame, MllpDecoder } from '../../src/codecs/mllp/index.js';
import { GroupCommitter } from '../../src/store/sqlite/group-commit.js';
import { WalSync } from '../../src/store/sqlite/wal-sync.js';

const conns = Number(process.argv[2] ?? 8);
const t = { rtt: [] as number[], receive: [] as number[], journal: [] as number[], commit: [] as number[], fsync: [] as number[], queueWait: [] as number[] };
const flush = GroupCommitter.prototype.flush;
GroupCommitter.prototype.flush = function (this: GroupCommitter) { const s = performance.now(); flush.call(this); t.commit.push(performance.now() - s); };
const sync = WalSync.prototype.sync;
WalSync.prototype.sync = function (this: WalSync, done: (e: Error | null) => void) { const s = performance.now(); sync.call(this, (e) => { t.fsync.push(performance.now() - s); done(e); }); };
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'probe-'));
const store = await openSqliteStore({ dataDir });
const journal = store.journal.bind(store);
store.journal = async (e) => { const s = performance.now(); const r = await journal(e); t.journal.push(performance.now() - s); return r; };
const engine = new Engine({ store, ...codecBindings });
const receive = engine.receive.bind(engine);
engine.receive = async (r) => { const s = performance.now(); const x = await receive(r); t.receive.push(performance.now() - s); return x; };
engine.applyChannels([{ name: 'adt', sourceSystem: 'ehr', contentType: 'x-application/hl7-v2+er7', ackMode: 'original', validateBeforeAck: true, destinations: [] }]);
await engine.start();
const server = new MllpServer({ channel: 'adt', host: '127.0.0.1', port: 0, maxFrameBytes: 1 << 24, idleTimeoutMs: 120_000, frameTimeoutMs: 30_000, maxConnections: 1000 });
await server.start(engine);
const adt = (id: string) => [`MSH|^~\\&|EPIC|NW|LOOM|NW|20240301123000||ADT^A08^ADT_A01|${id}|P|2.5.1`, 'EVN|A08|20240301122955', `PID|1||MRN${id}^^^NW^MR||DOE^JANE||19580412|F`, 'PV1|1|I|4W^412^B'].join('\r') + '\r';
const until = Date.now() + 4000;
await Promise.all(Array.from({ length: conns }, async (_, c) => {
  const s = net.connect({ host: '127.0.0.1', port: server.port() }); s.setNoDelay(true);
  await new Promise((r) => s.once('connect', r));
  const d = new MllpDecoder(); let w: ((b: Buffer) => void) | undefined;
  s.on('data', (b: Buffer) => { for (const f of d.push(b)) w?.(f); });
  let i = 0;
  while (Date.now() < until) { const s0 = performance.now(); await new Promise<Buffer>((r) => { w = r; s.write(encodeMllpFrame(adt(`c${c}-${i++}`))); }); t.rtt.push(performance.now() - s0); }
  s.destroy();
}));
const p = (a: number[], q: number) => { const s = [...a].sort((x, y) => x - y); return (s[Math.floor(s.length * q)] ?? NaN).toFixed(3); };
console.log(`${conns} connections, ${(t.rtt.length / 4).toFixed(0)} msg/s, commits ${store.stats().commits} for ${store.stats().writes} writes`);
for (const [k, v] of Object.entries(t)) if (v.length) console.log(`${k.padEnd(8)} n=${String(v.length).padStart(6)} p50 ${p(v, 0.5)} ms  p99 ${p(v, 0.99)} ms`);
process.exit(0);
