import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LoomError, newId } from '../../kernel/index.js';
import type { JournalEntry } from '../../kernel/store.js';
import { loadMigrations, openSqliteStore, type SqliteStore } from './index.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'loom-store-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function open(dataDir = tmp()): Promise<SqliteStore> {
  const s = await openSqliteStore({ dataDir });
  stores.push(s);
  return s;
}
function entry(over: Partial<JournalEntry> = {}, at = Date.now()): JournalEntry {
  const id = newId(at);
  return {
    envelope: { id, correlationId: id, sourceSystem: 'ehr', channel: 'adt', contentType: 'text/plain', receivedAt: new Date(at).toISOString(), headers: {} },
    payload: new TextEncoder().encode(`payload ${id} `.repeat(20)),
    status: 'received',
    ...over,
  };
}

describe('sqlite store', () => {
  it('applies migrations on an empty store and re-applying is a no-op', async () => {
    const dir = tmp();
    const s = await openSqliteStore({ dataDir: dir, migrate: false });
    expect(await s.migrate()).toEqual(loadMigrations().map((m) => m.name));
    expect(loadMigrations()[0]?.name).toBe('001_init');
    expect(await s.migrate()).toEqual([]);
    await s.close();
    const again = await open(dir);
    expect(await again.migrate()).toEqual([]);
  });

  it('folds concurrent journal writes into few commits, all durable after reopen', async () => {
    const dir = tmp();
    const s = await openSqliteStore({ dataDir: dir });
    const results = await Promise.all(Array.from({ length: 500 }, () => s.journal(entry())));
    expect(results.every((r) => r.outcome === 'accepted')).toBe(true);
    expect(s.stats().writes).toBe(500);
    expect(s.stats().commits).toBeLessThan(10);
    await s.close();
    const re = await open(dir);
    expect((await re.listUnprocessed(undefined, 1000)).length).toBe(500);
  });

  it('answers duplicate for the same source + control id within the window, accepts after it', async () => {
    const s = await open();
    const t0 = Date.now();
    const a = await s.journal(entry({ controlId: 'MSG1', dedupKey: 'MSG1', dedupWindowMs: 1000 }, t0));
    const b = await s.journal(entry({ controlId: 'MSG1', dedupKey: 'MSG1', dedupWindowMs: 1000 }, t0 + 10));
    const c = await s.journal(entry({ controlId: 'MSG1', dedupKey: 'MSG1', dedupWindowMs: 1000 }, t0 + 5000));
    expect([a.outcome, b.outcome, c.outcome]).toEqual(['accepted', 'duplicate', 'accepted']);
    expect(b.duplicateOf).toBe(a.id);
    expect((await s.search({ q: 'MSG1' })).items.length).toBe(3);
    expect((await s.search({ status: 'duplicate' })).items.map((m) => m.envelope.id)).toEqual([b.id]);
  });

  it('rejects with store.unwritable when the data dir cannot be created', async () => {
    const file = path.join(tmp(), 'a-file');
    await (await import('node:fs/promises')).writeFile(file, 'x');
    const err = await openSqliteStore({ dataDir: path.join(file, 'sub') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoomError);
    expect((err as LoomError).code).toBe('store.unwritable');
  });

  it('prunes old processed messages and the file stops growing', async () => {
    const dir = tmp();
    const s = await open(dir);
    const file = path.join(dir, 'loom.db');
    const sizes: number[] = [];
    let clock = Date.now();
    for (let round = 0; round < 8; round++) {
      const batch = Array.from({ length: 300 }, () => entry({}, clock));
      await Promise.all(batch.map((e) => s.journal(e)));
      await Promise.all(batch.map((e) => s.complete({ messageId: e.envelope.id, status: 'processed', steps: [], keys: [{ name: 'mrn', value: 'M1' }], outbox: [], children: [] })));
      clock += 10_000;
      await s.prune({ processedMs: 5_000, errorMs: 5_000, deadLetterMs: 5_000 }, clock);
      sizes.push(statSync(file).size);
    }
    // after warm-up the file reuses its pages: later rounds are no bigger than round 3
    expect(Math.max(...sizes.slice(3))).toBeLessThanOrEqual(sizes[2]);
    expect((await s.search({ limit: 1000 })).items.length).toBe(0);
  });

  it('backs up online to a file that opens as a store', async () => {
    const s = await open();
    const e = entry();
    await s.journal(e);
    const target = path.join(tmp(), 'copy');
    await s.backup(path.join(target + '.db'));
    const { renameSync, mkdirSync } = await import('node:fs');
    mkdirSync(target);
    renameSync(target + '.db', path.join(target, 'loom.db'));
    const copy = await open(target);
    expect((await copy.show(e.envelope.id))?.envelope.id).toBe(e.envelope.id);
  });
});

describe('retention scope', () => {
  it('prunes per channel and keeps messages with undelivered effects', async () => {
    const s = await open();
    const t0 = Date.now();
    const a = entry({}, t0);
    const b = { ...entry({}, t0), envelope: { ...entry({}, t0).envelope, channel: 'keep' } };
    const pending = entry({}, t0);
    for (const e of [a, b, pending]) await s.journal(e);
    for (const e of [a, b]) await s.complete({ messageId: e.envelope.id, status: 'processed', steps: [], keys: [], outbox: [], children: [] });
    await s.complete({
      messageId: pending.envelope.id, status: 'processed', steps: [], keys: [], children: [],
      outbox: [{ id: newId(), messageId: pending.envelope.id, channel: 'adt', destination: 'd', idempotencyKey: 'k', contentType: 'text/plain', headers: {} }],
    });
    const r = await s.prune({ processedMs: 1000, errorMs: 1000, deadLetterMs: 1000 }, t0 + 5000, { exceptChannels: ['keep'] });
    expect(r.messagesDeleted).toBe(1);
    expect(await s.show(a.envelope.id)).toBeUndefined();
    expect(await s.show(b.envelope.id)).toBeDefined();
    expect(await s.show(pending.envelope.id)).toBeDefined();
  });
});

describe('WAL checkpoints off the write path', () => {
  it('the store connection never checkpoints inside a COMMIT; the worker does, and the WAL restarts instead of growing', async () => {
    const dir = tmp();
    const s = await open(dir);
    const connection = (s as unknown as { db: { pragma(sql: string, options: { simple: true }): unknown } }).db;
    expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const payload = new Uint8Array(2048).fill(65);
    // 250 commits of 4 messages, each commit a dozen WAL pages: past several checkpoint intervals
    for (let round = 0; round < 250; round++) await Promise.all(Array.from({ length: 4 }, () => s.journal(entry({ payload }))));
    expect(s.stats().checkpoints).toBeGreaterThan(0);
    // without checkpoints the WAL would hold all 250 commits (about 13 MB); restarted, about 1000 pages
    expect(statSync(path.join(dir, 'loom.db-wal')).size).toBeLessThan(8_000_000);
  });
});
