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

  it('with a WalSync, writes settle only after an fsync that started after their commit; a write during an fsync gets its own at once', async () => {
    const d = db();
    const calls: Array<(e: Error | null) => void> = [];
    const wal = { sync: (done: (e: Error | null) => void) => void calls.push(done), syncNow: () => undefined } as unknown as WalSync;
    const gc = new GroupCommitter(d, 1000, (e) => storeError(e, 'mem'), wal);
    const ins = d.prepare('INSERT INTO t (v) VALUES (?)');
    const count = () => (d.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
    const settled: string[] = [];
    const first = gc.write(() => ins.run('a')).then(() => settled.push('a'));
    gc.flush();
    expect(calls).toHaveLength(1); // committed, fsync running
    const second = gc.write(() => ins.run('b')).then(() => settled.push('b'));
    await new Promise((r) => setImmediate(r));
    expect(count()).toBe(2); // committed while the first fsync runs, not after it
    expect(calls).toHaveLength(2); // with its own fsync beside the running one
    const third = gc.write(() => ins.run('c'));
    await new Promise((r) => setImmediate(r));
    expect(count()).toBe(2); // both fsync slots busy: the third gathers for the next commit
    expect(settled).toEqual([]);
    calls[1]!(null); // the second fsync started after both commits: it covers both
    await Promise.all([first, second]);
    expect(settled).toEqual(['a', 'b']);
    expect(count()).toBe(3); // the freed slot: the third is committed and fsynced
    expect(calls).toHaveLength(3);
    calls[0]!(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })); // nothing left for it to settle
    calls[2]!(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    await expect(third).rejects.toBeInstanceOf(LoomError);
  });

  it('every `every` commits it asks for a checkpoint and holds the next commit until it is done', async () => {
    const d = db();
    let finish: () => void = () => undefined;
    let asked = 0;
    const checkpoints = { every: 2, run: () => new Promise<void>((r) => { asked++; finish = r; }) };
    const gc = new GroupCommitter(d, 1000, (e) => storeError(e, 'mem'), undefined, checkpoints);
    const ins = d.prepare('INSERT INTO t (v) VALUES (?)');
    await gc.write(() => ins.run('a'));
    expect(asked).toBe(0);
    await gc.write(() => ins.run('b'));
    expect(asked).toBe(1); // after the second commit, outside any COMMIT
    const held = gc.write(() => ins.run('c'));
    await new Promise((r) => setImmediate(r));
    expect(gc.commits).toBe(2); // held back while the checkpoint runs
    finish();
    await held;
    expect(gc.commits).toBe(3);
  });
});
