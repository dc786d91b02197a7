import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { implantCaseProcess } from '../implant-case/index.js';
import { itemStockProcess } from '../item-stock/process.js';
import { dischargeChargeProcess } from '../discharge-charge/process.js';
import { catalog, consumed, discharged, HIP, implanted, PACER } from '../test-support.js';
import { MemoryProcessStore } from './memory-store.js';
import { ProcessManager, waitCause } from './manager.js';
import { openSqliteProcessStore } from './sqlite-store.js';
import type { ProcessEvent } from './types.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const processes = () => [implantCaseProcess({ catalog }), itemStockProcess({ catalog }), dischargeChargeProcess({ catalog })];

/** A seeded stream: devices documented and consumed, for two items, several encounters. */
function stream(n: number): ProcessEvent[] {
  const out: ProcessEvent[] = [];
  for (let i = 0; i < n; i++) {
    const item = i % 2 === 0 ? HIP : PACER;
    out.push(implanted(`V${i}`, item.gtin, `L${i}`, `S${i}`), consumed(`V${i}`, item.gtin, `L${i}`, `S${i}`, `c${i}`), discharged(`V${i}`));
  }
  return out;
}

async function finalOf(pm: ProcessManager) {
  const page = await pm.listInstances({ limit: 500 });
  return Object.fromEntries(page.items.map((i) => [i.id, { status: i.status, state: i.state }]));
}

describe('ProcessManager', () => {
  it('SQLite: persists state, timeline and effects; an event applied twice re-emits the same effects and adds no entry', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-pm-'));
    dirs.push(dir);
    const store = await openSqliteProcessStore({ dataDir: dir });
    const pm = new ProcessManager({ store, processes: processes() });
    await pm.handle(implanted('V1', HIP.gtin, 'L1', 'S1'));
    const id = `implant-case/V1|${HIP.gtin}|L1|S1`;
    expect(await pm.getInstance(id)).toMatchObject({ status: 'waiting', waitingFor: 'waiting for consumption event' });
    const first = await pm.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1'));
    expect(first.effects.map((e) => e.kind).sort()).toEqual(['charge.captured', 'cost-posting', 'inventory-movement']);
    await store.close();
    // "crash": the engine never completed the message; a new process re-applies the same event
    const store2 = await openSqliteProcessStore({ dataDir: dir });
    const pm2 = new ProcessManager({ store: store2, processes: processes() });
    const again = await pm2.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1'));
    expect(again.effects).toEqual(first.effects);
    expect(again.applied.every((a) => a.replayed)).toBe(true);
    const detail = await pm2.getInstance(id);
    expect(detail?.timeline.map((t) => t.eventType)).toEqual(['device.implanted', 'supply.consumed']);
    expect(detail?.timeline[1].effects).toHaveLength(3);
    expect(await pm2.countByStatus('implant-case')).toEqual({ open: 0, waiting: 0, completed: 1, exception: 0 });
    await store2.close();
  });

  it('a repeat from the same source re-emits; the same event in another message is a duplicate without effects', async () => {
    const pm = new ProcessManager({ store: new MemoryProcessStore(), processes: processes() });
    await pm.handle(implanted('V1', HIP.gtin, 'L1', 'S1'), { source: 'm1' });
    const first = await pm.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1'), { source: 'm2' });
    expect(first.effects).toHaveLength(3);
    expect((await pm.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1'), { source: 'm2' })).effects).toEqual(first.effects);
    const dup = await pm.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1'), { source: 'm3' });
    expect(dup.effects).toEqual([]);
    expect(dup.applied[0]).toMatchObject({ duplicate: true, status: 'completed' });
  });

  it('a transaction that throws leaves nothing behind', async () => {
    const store = new MemoryProcessStore();
    const boom = { name: 'boom', correlate: () => 'k', initial: () => ({}), apply: () => { throw new Error('bug'); } };
    const pm = new ProcessManager({ store, processes: [implantCaseProcess({ catalog }), boom] });
    await expect(pm.handle(implanted('V1', HIP.gtin, 'L1', 'S1'))).rejects.toThrow('bug');
    expect((await pm.listInstances()).items).toEqual([]);
  });

  it('property: every shuffle and duplication gives the same final states and effect keys as the ordered stream', async () => {
    const events = stream(6);
    const withDischarge = events.length;
    expect(withDischarge).toBe(18);
    const ordered = new ProcessManager({ store: new MemoryProcessStore(), processes: processes() });
    const orderedKeys = new Set<string>();
    for (const e of events) for (const x of (await ordered.handle(e)).effects) orderedKeys.add(x.key);
    const expected = await finalOf(ordered);
    expect(orderedKeys.size).toBe(6 * 3 + 2); // 3 per device + one replenishment per item (HIP 6→3, PACER 3→0)
    await fc.assert(fc.asyncProperty(
      fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
      fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 8 }),
      async (shuffled, dupIdx) => {
        const input = [...shuffled];
        for (const i of dupIdx) input.splice(i % (input.length + 1), 0, events[i]);
        const pm = new ProcessManager({ store: new MemoryProcessStore(), processes: processes() });
        const keys = new Set<string>();
        for (const e of input) for (const x of (await pm.handle(e)).effects) keys.add(x.key);
        expect([...keys].sort()).toEqual([...orderedKeys].sort());
        expect(await finalOf(pm)).toEqual(expected);
      },
    ), { numRuns: 60, seed: 4242 });
  });

  it('sweep applies due timers: a consumption without procedure becomes an exception', async () => {
    const pm = new ProcessManager({ store: new MemoryProcessStore(), processes: [implantCaseProcess({ catalog, noProcedureAfterMs: 60_000 })] });
    await pm.handle(consumed('V7', HIP.gtin, 'L1', 'S1', 'c1', '2025-03-01T10:00:00Z'));
    expect((await pm.sweep(Date.parse('2025-03-01T10:00:30Z'))).applied).toEqual([]);
    const r = await pm.sweep(Date.parse('2025-03-01T10:01:00Z'));
    expect(r.applied).toHaveLength(1);
    const [inst] = (await pm.listInstances({ status: 'exception' })).items;
    expect(inst.waitingFor).toMatch(/^no procedure documented/);
    expect((await pm.sweep(Date.parse('2025-03-01T11:00:00Z'))).applied).toEqual([]);
  });

  it('lists with filters and a cursor', async () => {
    const pm = new ProcessManager({ store: new MemoryProcessStore(), processes: processes() });
    for (const e of stream(5)) await pm.handle(e);
    const a = await pm.listInstances({ process: 'implant-case', limit: 2 });
    expect(a.items).toHaveLength(2);
    const b = await pm.listInstances({ process: 'implant-case', limit: 10, cursor: a.nextCursor });
    expect(b.items).toHaveLength(3);
    expect(b.nextCursor).toBeUndefined();
    expect((await pm.listInstances({ key: 'V1|*' })).items.map((i) => i.key)).toEqual([`V1|${PACER.gtin}|L1|S1`]);
  });

  it('tells sample listeners of each SLA sample once, after its transaction commits; a replay tells nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-pm-'));
    dirs.push(dir);
    for (const store of [new MemoryProcessStore(), await openSqliteProcessStore({ dataDir: dir })]) {
      const pm = new ProcessManager({ store, processes: processes() });
      const heard: Array<{ key: string; measure: string; durationMs: number }> = [];
      const off = pm.onSample((s) => heard.push({ key: s.key, measure: s.measure, durationMs: s.durationMs }));
      await pm.handle(implanted('V1', HIP.gtin, 'L1', 'S1', '2025-03-01T10:00:00Z'));
      await pm.handle(discharged('V1', '2025-03-01T18:00:00Z'));
      expect(heard).toEqual([]);
      const charged = await pm.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1', '2025-03-01T18:10:00Z'));
      expect(charged.samples.map((s) => s.measure)).toEqual(['discharge-to-charge']);
      expect(heard).toEqual([{ key: 'V1', measure: 'discharge-to-charge', durationMs: 10 * 60_000 }]);
      await pm.handle(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1', '2025-03-01T18:10:00Z'));
      await pm.handle(discharged('V2'));
      expect(heard.map((h) => h.key)).toEqual(['V1', 'V2']);
      off();
      await pm.handle(discharged('V3'));
      expect(heard).toHaveLength(2);
      expect((await pm.slaSamples()).map((s) => s.key).sort()).toEqual(['V1', 'V2', 'V3']);
      await store.close();
    }
  });

  it('waitCause keeps the cause of a wait and drops its particulars (ids, counts, lists)', () => {
    expect(waitCause('charges missing at discharge for 2 device(s): 0088 lot P1 serial X1')).toBe('charges missing at discharge');
    expect(waitCause('waiting for goods receipt of PO 4500012 (5 EA)')).toBe('waiting for goods receipt of PO');
    expect(waitCause('unknown GTIN 00812345678906: not in the item catalog; add the item')).toBe('unknown GTIN');
    expect(waitCause('price off contract: ERP cost 12 vs contract 10 USD for HIP-1')).toBe('price off contract');
    expect(waitCause('waiting for consumption event')).toBe('waiting for consumption event');
    expect(waitCause('no procedure documented for HIP-STEM-01 lot L1 serial S1 within 240 min of consumption')).toBe('no procedure documented');
    expect(waitCause('42')).toBe('unspecified');
  });
});
