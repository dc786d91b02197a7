// Prefill a SQLite message store with N processed messages through the store's own journal and
// complete path (the same rows and indexes intake writes), in group-committed batches.
// Rows written per message `seq` (0-based): control id `PRE<seq>` (business key `controlId` and
// dedup key), business key `mrn` = `MRN<seq % 50000>` (so MRN0..MRN49999, 20 messages each per 1M),
// status `processed`, source system `ehr`, no steps and no outbox rows.
//
// `prefilledStoreDir(count, channel)` caches the prefilled `loom.db` under
// `<os.tmpdir()>/loom-prefill-cache/`, keyed by count, channel and a hash of the SQLite migrations
// (and of this file's row recipe), so a schema change builds a fresh one; a cache hit is a file copy.
import cliProgress from 'cli-progress';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContentTypes, newId } from '../../src/kernel/index.js';
import type { Store } from '../../src/kernel/index.js';
import { openSqliteStore } from '../../src/store/index.js';

/** Bump when the rows prefillStore writes change, so cached stores are rebuilt. */
const RECIPE = 'v1';
const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/store/sqlite/migrations');

/**
 * Journal + complete `count` ADT messages on `channel`, with a progress bar on stderr.
 * `batch` messages are in flight at once (each journal, then its complete); a store opened with
 * `maxBatch` ≥ `batch` folds each wave into one commit.
 *
 * @example await prefillStore(store, 1_000_000, 'adt');
 */
export async function prefillStore(store: Store, count: number, channel: string, batch = 2_000): Promise<void> {
  const bar = new cliProgress.SingleBar({ format: `prefill ${channel} [{bar}] {percentage}% {value}/{total} msgs, eta {eta}s`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 10_000 }, cliProgress.Presets.shades_classic);
  bar.start(count, 0);
  const enc = new TextEncoder();
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await Promise.all(Array.from({ length: n }, async (_, i) => {
      const seq = done + i;
      const controlId = `PRE${seq}`;
      const id = newId();
      const payload = enc.encode(`MSH|^~\\&|EHR|MAIN|LOOM|HOSP|20240101120000||ADT^A01|${controlId}|P|2.5\rPID|1||MRN${seq % 50_000}^^^HOSP^MR||DOE^JANE\rPV1|1|I|4W^401^1\r`);
      await store.journal({
        envelope: { id, correlationId: id, sourceSystem: 'ehr', channel, contentType: ContentTypes.hl7v2, receivedAt: new Date().toISOString(), headers: {} },
        payload,
        status: 'received',
        controlId,
        messageType: 'ADT^A01',
        dedupKey: controlId,
        dedupWindowMs: 86_400_000,
      });
      await store.complete({ messageId: id, status: 'processed', steps: [], keys: [{ name: 'mrn', value: `MRN${seq % 50_000}` }], outbox: [], children: [] });
    }));
    bar.update(done + n);
  }
  bar.stop();
}

/** Hash of every SQLite migration file (name and content) plus the row recipe. */
export function schemaFingerprint(): string {
  const h = createHash('sha256').update(RECIPE);
  for (const f of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort()) h.update(f).update(readFileSync(path.join(MIGRATIONS, f)));
  return h.digest('hex').slice(0, 16);
}

/** Where cached prefilled stores live (override with LOOM_PREFILL_CACHE). */
export function prefillCacheDir(): string {
  return process.env.LOOM_PREFILL_CACHE ?? path.join(os.tmpdir(), 'loom-prefill-cache');
}

/**
 * A fresh temp folder holding `loom.db` with `count` prefilled messages on `channel` (see prefillStore).
 * Built once per (count, channel, schema) and cached; later calls copy the cached file (seconds, not
 * minutes). The caller owns (and removes) the returned folder.
 *
 * @example const dir = await prefilledStoreDir(1_000_000, 'adt'); const store = await openSqliteStore({ dataDir: dir });
 */
export async function prefilledStoreDir(count: number, channel: string, fingerprint = schemaFingerprint()): Promise<string> {
  const cacheDir = prefillCacheDir();
  const cached = path.join(cacheDir, `${channel}-${count}-${fingerprint}.db`);
  if (!existsSync(cached)) {
    mkdirSync(cacheDir, { recursive: true });
    const build = mkdtempSync(path.join(cacheDir, 'build-'));
    try {
      // big waves in one commit each: the prefill is a fixture, not the thing measured
      const store = await openSqliteStore({ dataDir: build, maxBatch: 20_000 });
      const t0 = performance.now();
      await prefillStore(store, count, channel, 10_000);
      await store.close(); // checkpoints and truncates the WAL: loom.db alone is the whole store
      console.error(`prefill cache: built ${count.toLocaleString('en')} messages in ${((performance.now() - t0) / 1000).toFixed(0)} s → ${cached}`);
      renameSync(path.join(build, 'loom.db'), cached);
      // older schemas of the same size are dead weight (~750 MB per million messages)
      for (const f of readdirSync(cacheDir)) if (f.startsWith(`${channel}-${count}-`) && f !== path.basename(cached)) rmSync(path.join(cacheDir, f), { force: true });
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-bench-prefilled-'));
  const copy = path.join(dir, 'loom.db');
  copyFileSync(cached, copy);
  // write the copy back now: a store that has sat on disk, not 700 MB of dirty pages whose
  // writeback would compete with the measured run's WAL fsyncs
  const fd = openSync(copy, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return dir;
}
