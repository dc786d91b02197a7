import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LoomError } from '../../kernel/index.js';
import { storeError } from './errors.js';
import { GroupCommitter } from './group-commit.js';
import type { WalSync } from './wal-sync.js';

function db(): Database.Database {
  const d = new Database(':memory:');
  d.pragma('foreign_keys = ON');
  d.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
    CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);
    CREATE TABLE t (v TEXT UNIQUE)`);
  return d;
}

describe('GroupCommitter', () => {
  it('commits writes of one tick together and resolves them after the commit', async () => {
    const d = db();
    const gc = new GroupCommitter(d, 1000, (e) => storeError(e, 'mem'));
    const ins = d.prepare('INSERT INTO t (v) VALUES (?)');
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => gc.write(() => ins.run(String(i)).changes)));
    expect(results.every((r) => r === 1)).toBe(true);
    expect(gc.commits).toBe(1);
    expect((d.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n).toBe(100);
  });

  it('a failing write rejects alone (savepoint); its neighbours commit', async () => {
    const d = db();
    const gc = new GroupCommitter(d, 1000, (e) => storeError(e, 'mem'));
    const ins = d.prepare('INSERT INTO t (v) VALUES (?)');
    const out = await Promise.allSettled(['a', 'a', 'b'].map((v) => gc.write(() => ins.run(v))));
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((d.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n).toBe(2);
  });

  it('when COMMIT fails every write of the batch rejects with LoomError and nothing is stored', async () => {
    const d = db();
    const gc = new GroupCommitter(d, 1000, (e) => storeError(e, 'mem'));
    const ins = d.prepare('INSERT INTO t (v) VALUES (?)');
    // a deferred foreign key is checked only at COMMIT: the whole transaction fails there
    const out = await Promise.allSettled([gc.write(() => ins.run('x')), gc.write(() => d.prepare('INSERT INTO child (parent) VALUES (42)').run()), gc.write(() => ins.run('y'))]);
    expect(out.every((o) => o.status === 'rejected' && o.reason instanceof LoomError)).toBe(true);
    expect((d.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n).toBe(0);
  });

  it('maps SQLITE_FULL to store.full', async () => {
    const d = new Database(':memory:');
    d.exec('CREATE TABLE big (b BLOB)');
    d.pragma('max_page_count = 8');
    const gc = new GroupCommitter(d, 10, (e) => storeError(e, '/data/loom.db'));
    const err = await gc.write(() => d.prepare('INSERT INTO big VALUES (?)').run(Buffer.alloc(200_000))).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'store.full', location: '/data/loom.db' });
  });

  it('with a WalSync, writes settle only after an fsync that started after their commit', async () => {
    const d = db();
    const calls: Array<(e: Error | null) => void> = [];
    const wal = { sync: (done: (e: Error | null) => void) => void calls.push(done), syncNow: () => undefined } as unknown as WalSync;
    const gc = new GroupCommitter(d, 1000, (e) => storeError(e, 'mem'), wal);
    const ins = d.prepare('INSERT INTO t (v) VALUES (?)');
    let settled = 0;
    const first = gc.write(() => ins.run('a')).then(() => settled++);
    gc.flush();
    expect(calls).toHaveLength(1); // committed, fsync running
    const second = gc.write(() => ins.run('b')).then(() => settled++);
    gc.flush();
    expect(calls).toHaveLength(1); // one fsync at a time: the second batch waits for the next
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(0);
    calls[0](null);
    await first;
    expect(settled).toBe(1);
    expect(calls).toHaveLength(2);
    calls[1](Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    await expect(second).rejects.toBeInstanceOf(LoomError);
  });
});
