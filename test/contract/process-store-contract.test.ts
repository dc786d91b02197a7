/**
 * The ProcessStore port's contract: the same behaviours against SQLite (embedded) and PostgreSQL
 * (scale-out). Under CI=true the PostgreSQL half must run and fails when the server is absent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { implantCaseProcess } from '../../src/processes/implant-case/index.js';
import { itemStockProcess } from '../../src/processes/item-stock/process.js';
import { dischargeChargeProcess } from '../../src/processes/discharge-charge/process.js';
import { openPostgresProcessStore, openSqliteProcessStore, ProcessManager, type ProcessStore } from '../../src/processes/index.js';
import { catalog, consumed, discharged, HIP, implanted, PACER } from '../../src/processes/test-support.js';
import { dropSchema, freshSchema, PG_URL, pgAvailable } from '../support/pg.js';

const pgUp = await pgAvailable('process-store-contract');

/** `shared`: several stores (nodes) may open the same data at once — PostgreSQL; SQLite is one node's file. */
interface Adapter { name: string; skip: boolean; shared: boolean; open(): Promise<{ store: ProcessStore; reopen(): Promise<ProcessStore>; cleanup(): Promise<void> }> }

const adapters: Adapter[] = [
  {
    name: 'sqlite', skip: false, shared: false,
    async open() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-pstore-'));
      return { store: await openSqliteProcessStore({ dataDir: dir }), reopen: () => openSqliteProcessStore({ dataDir: dir }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres', skip: !pgUp, shared: true,
    async open() {
      const schema = freshSchema();
      return { store: await openPostgresProcessStore({ url: PG_URL, schema }), reopen: () => openPostgresProcessStore({ url: PG_URL, schema }), cleanup: () => dropSchema(schema) };
    },
  },
];

const processes = () => [implantCaseProcess({ catalog }), itemStockProcess({ catalog }), dischargeChargeProcess({ catalog })];

describe.each(adapters)('ProcessStore contract: $name', (adapter) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function open(): Promise<{ store: ProcessStore; reopen(): Promise<ProcessStore> }> {
    const opened = await adapter.open();
    cleanups.push(opened.cleanup);
    cleanups.push(() => opened.store.close());
    return opened;
  }
  const t = adapter.skip ? it.skip : it;

  t('migrate is a no-op on an up-to-date store', async () => {
    const { store } = await open();
    expect(await store.migrate()).toEqual([]);
  });

  t('persists state, timeline and effects across a reopen; an event applied again re-emits the same effects', async () => {
    const { store, reopen } = await open();
    const pm = new ProcessManager({ store, processes: processes() });
    await pm.handle(implanted('V1', HIP.gtin, 'L1', 'S1'), { source: 'm1' });
    const id = `implant-case/V1|${HIP.gtin}|L1|S1`;
    expect(await pm.getInstance(id)).toMatchObject({ status: 'waiting', waitingFor: 'waiting for consumption event' });
    const first = await pm.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1'), { source: 'm2' });
    expect(first.effects.map((e) => e.kind).sort()).toEqual(['charge.captured', 'cost-posting', 'inventory-movement']);
    const second = await reopen();
    cleanups.push(() => second.close());
    const pm2 = new ProcessManager({ store: second, processes: processes() });
    const again = await pm2.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1'), { source: 'm2' });
    expect(again.effects).toEqual(first.effects);
    expect(again.applied.every((a) => a.replayed)).toBe(true);
    expect((await pm2.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1'), { source: 'm3' })).effects).toEqual([]);
    const detail = await pm2.getInstance(id);
    expect(detail?.timeline.map((e) => e.eventType)).toEqual(['device.implanted', 'supply.consumed']);
    expect(detail?.timeline[1]).toMatchObject({ source: 'm2', status: 'completed' });
    expect(await pm2.countByStatus('implant-case')).toEqual({ open: 0, waiting: 0, completed: 1, exception: 0 });
  });

  t('a transaction that throws leaves nothing behind', async () => {
    const { store } = await open();
    const boom = { name: 'boom', correlate: () => 'k', initial: () => ({}), apply: () => { throw new Error('bug'); } };
    const pm = new ProcessManager({ store, processes: [implantCaseProcess({ catalog }), boom] });
    await expect(pm.handle(implanted('V1', HIP.gtin, 'L1', 'S1'))).rejects.toThrow('bug');
    expect((await pm.listInstances()).items).toEqual([]);
  });

  t('lists with filters, a key prefix and a cursor; counts waiting causes', async () => {
    const { store } = await open();
    const pm = new ProcessManager({ store, processes: processes() });
    for (let i = 0; i < 5; i++) await pm.handle(implanted(`V${i}`, (i % 2 ? PACER : HIP).gtin, `L${i}`, `S${i}`));
    const a = await pm.listInstances({ process: 'implant-case', limit: 2 });
    expect(a.items).toHaveLength(2);
    const b = await pm.listInstances({ process: 'implant-case', limit: 10, cursor: a.nextCursor });
    expect(b.items).toHaveLength(3);
    expect(b.nextCursor).toBeUndefined();
    expect([...a.items, ...b.items].map((i) => i.id)).toEqual([...a.items, ...b.items].map((i) => i.id).sort());
    expect((await pm.listInstances({ key: 'V1|*' })).items.map((i) => i.key)).toEqual([`V1|${PACER.gtin}|L1|S1`]);
    expect((await pm.listInstances({ key: 'V_|*' })).items).toEqual([]);
    expect(await store.countWaiting()).toContainEqual({ process: 'implant-case', status: 'waiting', waitingFor: 'waiting for consumption event', count: 5 });
  });

  t('due timers are listed oldest first and a sweep applies them', async () => {
    const { store } = await open();
    const pm = new ProcessManager({ store, processes: [implantCaseProcess({ catalog, noProcedureAfterMs: 60_000 })] });
    await pm.handle(consumed('V8', HIP.gtin, 'L1', 'S1', 'c1', '2025-03-01T10:05:00Z'));
    await pm.handle(consumed('V7', HIP.gtin, 'L1', 'S1', 'c2', '2025-03-01T10:00:00Z'));
    expect(await store.listDue('2025-03-01T10:00:30Z', 10)).toEqual([]);
    expect((await store.listDue('2025-03-01T11:00:00Z', 10)).map((i) => i.key.split('|')[0])).toEqual(['V7', 'V8']);
    expect((await pm.sweep(Date.parse('2025-03-01T10:01:00Z'))).applied).toHaveLength(1);
    expect((await pm.listInstances({ status: 'exception' })).items.map((i) => i.key.split('|')[0])).toEqual(['V7']);
  });

  t('SLA samples are recorded once per process, key and measure', async () => {
    const { store } = await open();
    const pm = new ProcessManager({ store, processes: processes() });
    await pm.handle(implanted('V1', HIP.gtin, 'L1', 'S1', '2025-03-01T10:00:00Z'));
    await pm.handle(discharged('V1', '2025-03-01T18:00:00Z'));
    const charged = await pm.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1', '2025-03-01T18:10:00Z'));
    expect(charged.samples.map((s) => s.durationMs)).toEqual([10 * 60_000]);
    expect((await pm.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1', '2025-03-01T18:10:00Z'))).samples).toEqual([]);
    expect(await pm.slaSamples({ measure: 'discharge-to-charge' })).toEqual([
      { process: 'discharge-charge', key: 'V1', measure: 'discharge-to-charge', startedAt: '2025-03-01T18:00:00Z', endedAt: '2025-03-01T18:10:00.000Z', durationMs: 10 * 60_000 },
    ]);
  });

  (adapter.shared ? t : it.skip)('two stores on the same data applying the same events concurrently apply each once', async () => {
    const { store, reopen } = await open();
    const other = await reopen();
    cleanups.push(() => other.close());
    const a = new ProcessManager({ store, processes: processes() });
    const b = new ProcessManager({ store: other, processes: processes() });
    const events = Array.from({ length: 8 }, (_, i) => [implanted(`V${i}`, HIP.gtin, `L${i}`, `S${i}`), consumed(`V${i}`, HIP.gtin, `L${i}`, `S${i}`, `c${i}`)]).flat();
    const results = await Promise.all(events.flatMap((e, i) => [a.handle(e, { source: `m${i}` }), b.handle(e, { source: `m${i}` })]));
    expect(results.length).toBe(16 * 2);
    const detail = await a.getInstance(`implant-case/V3|${HIP.gtin}|L3|S3`);
    expect(detail?.timeline.map((e) => e.eventType)).toEqual(['device.implanted', 'supply.consumed']);
    expect(await a.countByStatus('implant-case')).toEqual({ open: 0, waiting: 0, completed: 8, exception: 0 });
    const stock = (await b.listInstances({ process: 'item-stock' })).items;
    expect(stock).toHaveLength(1);
    expect(stock[0].version).toBe(8);
  });
});
