// The store's share of one message, without engine or HTTP: journal → complete (keys, steps, one
// outbox row) → claimDue → markDelivered, 64 messages in flight, on an empty store and on a copy of
// the cached prefilled one. Prints CPU µs per message for each, in one process.
// `node --import tsx bench/profile/store-ops.ts [prefill=1000000] [messages=20000] [--random-keys]`
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContentTypes, newId } from '../../src/kernel/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { prefilledStoreDir } from '../support/prefill.js';

// --random-keys: control ids as random hex and MRNs drawn from the prefill's MRN0..MRN49999, so new
// index entries land all over the big B-trees (the bench's own keys sort after the prefill's)
const random = process.argv.includes('--random-keys');
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const prefill = Number(positional[0] ?? 1_000_000);
const messages = Number(positional[1] ?? 20_000);
const enc = new TextEncoder();

/** Bytes this process passed to read()/write() so far (Linux): SQLite page reads missing its cache, WAL and checkpoint writes. */
function io(): { rchar: number; wchar: number } {
  const t = readFileSync('/proc/self/io', 'utf8');
  const get = (k: string) => Number(new RegExp(`${k}: (\\d+)`).exec(t)?.[1] ?? 0);
  return { rchar: get('rchar'), wchar: get('wchar') };
}

async function run(stored: number, tag: string): Promise<number> {
  const dir = stored > 0 ? await prefilledStoreDir(stored, 'adt') : mkdtempSync(path.join(os.tmpdir(), 'loom-store-ops-'));
  const store = await openSqliteStore({ dataDir: dir });
  try {
    let next = 0;
    const io0 = io();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 64 }, async () => {
      while (next < messages) {
        const seq = next++;
        const id = newId();
        const controlId = random ? randomBytes(8).toString('hex') : `${tag}-${seq}`;
        const mrn = random ? `MRN${Math.floor(Math.random() * 50_000)}` : `MRN${controlId}`;
        await store.journal({
          envelope: { id, correlationId: id, sourceSystem: 'ehr', channel: 'adt', contentType: ContentTypes.hl7v2, receivedAt: new Date().toISOString(), headers: {} },
          payload: enc.encode(`MSH|^~\\&|EHR|MAIN|LOOM|HOSP|20240101120000||ADT^A01|${controlId}|P|2.5\rPID|1||${mrn}^^^HOSP^MR\r`),
          status: 'received', controlId, messageType: 'ADT^A01', dedupKey: controlId, dedupWindowMs: 86_400_000,
        });
        const now = Date.now();
        const outId = newId();
        await store.complete({
          messageId: id, status: 'processed',
          steps: [{ name: 'route', status: 'ok', startedAt: now, durationMs: 0.1 }],
          keys: [{ name: 'mrn', value: mrn }],
          outbox: [{ id: outId, messageId: id, channel: 'adt', destination: 'erp', idempotencyKey: `erp:${id}`, contentType: ContentTypes.hl7v2, headers: {} }],
          children: [],
        });
        const rows = await store.claimDue(Date.now(), 1, new Set(), [{ channel: 'adt', destination: 'erp' }]);
        for (const r of rows) await store.markDelivered(r.id, Date.now(), '200');
      }
    }));
    const cpu = process.cpuUsage(cpu0);
    const us = (cpu.user + cpu.system) / messages;
    const io1 = io();
    const kb = (n: number) => (n / messages / 1024).toFixed(1);
    console.log(`stored ${stored}: ${us.toFixed(0)} µs CPU per message (user ${(cpu.user / messages).toFixed(0)}, sys ${(cpu.system / messages).toFixed(0)}), ${(messages / ((performance.now() - t0) / 1000)).toFixed(0)} msg/s wall, ${store.stats().commits} commits, read ${kb(io1.rchar - io0.rchar)} KiB and wrote ${kb(io1.wchar - io0.wchar)} KiB per message`);
    return us;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await run(0, 'W'); // warm-up
const a = await run(0, 'E1');
const b = await run(prefill, 'F');
const c = await run(0, 'E2');
console.log(`full / empty CPU per message: ${(b / ((a + c) / 2)).toFixed(2)}`);
