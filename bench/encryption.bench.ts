// Payload encryption at rest: cost per message with store.encryption on beside off, same run.
// 1) the cipher alone (AES-256-GCM encrypt + decrypt of a 1 KB ADT); 2) the store path the engine
// takes per message (journal, complete with one outbox row, claim it, load the payload) on the
// embedded SQLite store, plain vs EncryptedStore, alternating rounds on fresh stores.
// `npm run bench -- encryption [messages-per-round]`.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EncryptedStore, PayloadCipher } from '../src/governance/encryption/index.js';
import { newId } from '../src/kernel/index.js';
import type { Store } from '../src/kernel/store.js';
import { openSqliteStore } from '../src/store/index.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';

const perRound = Number(process.argv[3] ?? 4000);
const ROUNDS = 3;
const here = path.dirname(fileURLToPath(import.meta.url));
const payload = new Uint8Array(readFileSync(path.join(here, '../test/fixtures/hl7v2/adt-a03-1k.hl7')));
const cipher = new PayloadCipher({ id: 'k1', key: randomBytes(32) });
const cpuMs = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function cipherOnly(iterations: number): number {
  for (let i = 0; i < 2000; i++) cipher.decrypt(cipher.encrypt(payload));
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) cipher.decrypt(cipher.encrypt(payload));
  return (cpuMs(start) * 1000) / iterations;
}

/** One message the way the engine stores it, 64 in flight. */
async function storePath(encrypted: boolean, n: number): Promise<{ cpuUs: number; perSecond: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-bench-enc-'));
  const plain = await openSqliteStore({ dataDir: dir });
  const store: Store = encrypted ? new EncryptedStore(plain, cipher) : plain;
  const one = async () => {
    const id = newId();
    const envelope = { id, correlationId: id, sourceSystem: 'ehr', channel: 'adt', contentType: 'x-application/hl7-v2+er7', receivedAt: new Date().toISOString(), headers: {} };
    await store.journal({ envelope, payload, status: 'received' });
    await store.complete({ messageId: id, status: 'processed', steps: [], keys: [], children: [], outbox: [{ id: newId(), messageId: id, channel: 'adt', destination: 'erp', idempotencyKey: `erp:${id}`, contentType: 'x-application/hl7-v2+er7', headers: {} }] });
    await store.loadPayload(id);
  };
  const wallStart = performance.now();
  const start = process.cpuUsage();
  for (let done = 0; done < n; done += 64) await Promise.all(Array.from({ length: Math.min(64, n - done) }, one));
  const claimed = await store.claimDue(Date.now() + 1000, 10_000, new Set(), [{ channel: 'adt', destination: 'erp' }]);
  if (claimed.length === 0 || claimed[0]?.payload.length !== payload.length) throw new Error('bench: claimed rows did not decrypt to the payload');
  const cpu = cpuMs(start);
  const wall = performance.now() - wallStart;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { cpuUs: (cpu * 1000) / n, perSecond: (n / wall) * 1000 };
}

const machine = machineInfo();
const cipherUs = cipherOnly(50_000);
const off: Array<{ cpuUs: number; perSecond: number }> = [];
const on: Array<{ cpuUs: number; perSecond: number }> = [];
await storePath(false, 500);
await storePath(true, 500);
for (let r = 0; r < ROUNDS; r++) {
  off.push(await storePath(false, perRound));
  on.push(await storePath(true, perRound));
}
const load = os.loadavg()[0]?.toFixed(1) ?? '?';
const offCpu = median(off.map((x) => x.cpuUs));
const onCpu = median(on.map((x) => x.cpuUs));
const body = `| store path (SQLite, per message) | CPU µs/msg (median) | msgs/s wall (median) |
|---|---:|---:|
| encryption off | ${offCpu.toFixed(1)} | ${Math.round(median(off.map((x) => x.perSecond))).toLocaleString('en-US')} |
| encryption on (AES-256-GCM) | ${onCpu.toFixed(1)} | ${Math.round(median(on.map((x) => x.perSecond))).toLocaleString('en-US')} |
| difference | ${(onCpu - offCpu).toFixed(1)} (${(((onCpu - offCpu) / offCpu) * 100).toFixed(1)} %) | |

Cipher alone: ${cipherUs.toFixed(1)} µs CPU per 1 KB payload for encrypt + decrypt (50,000 iterations after warm-up).
Store path: journal + complete with one outbox row + loadPayload per message, 64 in flight, then one claim of the outbox rows (decrypted and checked), on a fresh SQLite store per round; ${perRound.toLocaleString('en-US')} messages per round, ${ROUNDS} alternating rounds per side, median shown; CPU is the whole process (process.cpuUsage, fsync thread included). 1-minute load average ${load} at the end of the run on the shared machine, so wall rates are lower than on a quiet one; the CPU figures are the comparison.`;
console.log(describeMachine(machine));
console.log(body);
recordResult('Payload encryption at rest (encryption)', machine, body);
