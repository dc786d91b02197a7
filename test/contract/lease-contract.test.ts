/**
 * The LeaseManager port's contract on SQLite (one node, its loom.db) and PostgreSQL (shared by
 * nodes), and Singletons on top: one holder at a time, takeover after the TTL when the holder dies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Singletons } from '../../src/cluster/index.js';
import { openPostgresLeases, openSqliteLeases, type SqlLeaseManager } from '../../src/store/index.js';
import { dropSchema, freshSchema, PG_URL, pgAvailable } from '../support/pg.js';

const pgUp = await pgAvailable('lease-contract');
type Leases = SqlLeaseManager & { close(): Promise<void> };
const adapters: Array<{ name: string; skip: boolean; data(): Promise<{ open(): Promise<Leases>; cleanup(): Promise<void> }> }> = [
  {
    name: 'sqlite', skip: false,
    async data() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-leases-'));
      return { open: async () => openSqliteLeases(dir), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres', skip: !pgUp,
    async data() {
      const schema = freshSchema();
      return { open: () => openPostgresLeases({ url: PG_URL, schema }), cleanup: () => dropSchema(schema) };
    },
  },
];

async function eventually(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

describe.each(adapters)('LeaseManager contract: $name', (adapter) => {
  const t = adapter.skip ? it.skip : it;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function two(): Promise<[Leases, Leases]> {
    const d = await adapter.data();
    cleanups.push(d.cleanup);
    const a = await d.open();
    const b = await d.open();
    cleanups.push(() => a.close(), () => b.close());
    return [a, b];
  }

  t('one holder at a time; the holder extends; release hands over with a new fencing token', async () => {
    const [a, b] = await two();
    const first = await a.tryAcquire('sweep', 'node-a', 10_000);
    expect(first).toMatchObject({ name: 'sweep', holder: 'node-a', fencingToken: 1 });
    expect(await b.tryAcquire('sweep', 'node-b', 10_000)).toBeUndefined();
    const again = await a.tryAcquire('sweep', 'node-a', 20_000);
    expect(again).toMatchObject({ holder: 'node-a', fencingToken: 1, acquiredAt: first?.acquiredAt });
    expect(again!.expiresAt).toBeGreaterThan(first!.expiresAt);
    expect(await a.renew('sweep', 'node-a', 10_000)).toBe(true);
    expect(await b.renew('sweep', 'node-b', 10_000)).toBe(false);
    await b.release('sweep', 'node-b'); // not ours: no effect
    expect(await b.tryAcquire('sweep', 'node-b', 10_000)).toBeUndefined();
    await a.release('sweep', 'node-a');
    expect(await a.renew('sweep', 'node-a', 10_000)).toBe(false);
    expect(await b.tryAcquire('sweep', 'node-b', 10_000)).toMatchObject({ holder: 'node-b', fencingToken: 2 });
    expect((await a.list()).map((l) => [l.name, l.holder])).toEqual([['sweep', 'node-b']]);
  });

  t('an expired lease goes to the next node that asks; the former holder cannot renew it', async () => {
    const [a, b] = await two();
    await a.tryAcquire('retention', 'node-a', 150);
    const waited = await eventually(async () => (await b.tryAcquire('retention', 'node-b', 10_000)) !== undefined, 5000, 'takeover');
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(await a.renew('retention', 'node-a', 10_000)).toBe(false);
    expect((await b.list())[0]).toMatchObject({ holder: 'node-b', fencingToken: 2 });
  });

  t('of many nodes racing for a free lease exactly one wins', async () => {
    const [a, b] = await two();
    const got = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).tryAcquire('race', `node-${i}`, 10_000)));
    expect(got.filter((l) => l !== undefined)).toHaveLength(1);
  });

  t('heartbeats list the nodes with the store clock', async () => {
    const [a, b] = await two();
    await a.heartbeat({ nodeId: 'node-a', startedAt: 1, info: { api: 'http://a' } });
    await b.heartbeat({ nodeId: 'node-b', startedAt: 2, info: {} });
    const now = await a.now();
    const nodes = await b.nodes();
    expect(nodes.map((n) => [n.nodeId, n.info])).toEqual([['node-a', { api: 'http://a' }], ['node-b', {}]]);
    for (const n of nodes) expect(Math.abs(now - n.heartbeatAt)).toBeLessThan(5000);
  });

  t('Singletons: the task runs on one node only, and on the survivor within the TTL once the holder dies', async () => {
    const [a, b] = await two();
    const runs = { a: 0, b: 0 };
    const ttlMs = 600;
    const sa = new Singletons(a, 'node-a', { ttlMs });
    sa.run({ name: 'process-sweep', everyMs: 50, task: async () => { runs.a++; } });
    await eventually(() => runs.a >= 2, 5000, 'node-a runs');
    const sb = new Singletons(b, 'node-b', { ttlMs });
    cleanups.push(() => sb.stop());
    sb.run({ name: 'process-sweep', everyMs: 50, task: async () => { runs.b++; } });
    await eventually(() => runs.a >= 6, 5000, 'more node-a runs');
    expect(runs.b).toBe(0);
    expect(sb.holds('process-sweep')).toBe(false);
    // node-a dies: no more renewals, no release
    await sa.stop({ release: false });
    const died = Date.now();
    await eventually(() => runs.b >= 1, 5000, 'takeover by node-b');
    const takeover = Date.now() - died;
    expect(takeover).toBeLessThan(ttlMs + ttlMs / 3 + 500);
    expect(sb.holds('process-sweep')).toBe(true);
  });
});
