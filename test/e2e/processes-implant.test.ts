import { afterEach, describe, expect, it } from 'vitest';
import { StepRegistry } from '../../src/engine/index.js';
import { ContentTypes } from '../../src/kernel/index.js';
import { CATALOG } from '../../src/simulators/catalog.js';
import {
  implantCaseProcess, itemStockProcess, openSqliteProcessStore, processCatalogFrom, ProcessManager, registerProcessSteps,
} from '../../src/processes/index.js';
import { consumed, implanted } from '../../src/processes/test-support.js';
import { enc, ScriptedConnector, startEngine, tempDir, waitFor } from './engine-harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const catalog = processCatalogFrom(CATALOG);
const hip = CATALOG.find((i) => i.sku === 'IMP-HIP-STEM')!;
const pacer = CATALOG.find((i) => i.sku === 'IMP-PACER')!;

describe('e2e: engine + sqlite store + process step', () => {
  it('events out of order and twice give exactly one cost posting per device, and the rest of the effects once per key', async () => {
    const t = tempDir();
    const pstore = await openSqliteProcessStore({ dataDir: t.dir });
    const pm = new ProcessManager({ store: pstore, processes: [implantCaseProcess({ catalog }), itemStockProcess({ catalog })] });
    const steps = new StepRegistry();
    registerProcessSteps(steps, pm);
    const out = { billing: new ScriptedConnector(), erp: new ScriptedConnector(), stock: new ScriptedConnector(), procurement: new ScriptedConnector() };
    const engine = await startEngine([{
      // dedup window 0: the engine's IdempotentReceiver would catch byte-identical resends; here the process kernel must
      name: 'events', sourceSystem: 'loom', contentType: ContentTypes.json, dedupWindowMs: 0,
      steps: [{ use: 'process', with: { name: ['implant-case', 'item-stock'] } }, { use: 'process-effect', with: { destinations: { charge: 'billing', erp: 'erp', inventory: 'stock' } } }],
      destinations: Object.entries(out).map(([name, connector]) => ({ name, connector })),
    }], { steps }, t.dir);
    cleanups.push(t.cleanup, () => pstore.close(), () => engine.stop());

    const devices = [
      { enc: 'V100', item: hip, lot: 'L1', serial: 'S1' }, { enc: 'V100', item: hip, lot: 'L1', serial: 'S2' },
      { enc: 'V101', item: pacer, lot: 'P7', serial: 'X9' }, { enc: 'V102', item: hip, lot: 'L2', serial: 'S3' },
    ];
    const events = devices.flatMap((d, i) => [
      consumed(d.enc, d.item.gtin, d.lot, d.serial, `c${i}`), // consumption before the documentation
      implanted(d.enc, d.item.gtin, d.lot, d.serial),
    ]);
    // the HIBCC-labelled documentation of the first device arrives as well (same device, other carrier)
    const hibcc = implanted('V100', hip.gtin, 'L1', 'S1', '2025-03-01T10:00:00Z', 'H124HIPSTEM41');
    const feed = [...events.slice().reverse(), ...events, hibcc];
    for (const e of feed) {
      const r = await engine.receive({ channel: 'events', payload: enc(JSON.stringify(e)) });
      expect(r.outcome).toBe('accepted');
    }
    await waitFor(() => out.erp.calls.length >= devices.length && out.billing.calls.length >= devices.length && out.stock.calls.length >= devices.length, 'effects delivered');
    // let everything pending drain: all journaled messages processed
    await waitFor(async () => (await engine.search({ status: 'received', limit: 1 })).items.length === 0, 'all processed');

    const keysOf = (c: ScriptedConnector) => new Set(c.calls.map((x) => x.idempotencyKey));
    const erpKeys = [...keysOf(out.erp)].sort();
    expect(erpKeys).toEqual(devices.map((d) => `erp:cost-posting:${d.enc}:${d.item.gtin}:${d.lot}:${d.serial}`).sort());
    // duplicates from other messages are no-ops in the kernel: one delivery per posting, not just one key
    expect(out.erp.calls).toHaveLength(devices.length);
    const bodies = new Map(out.erp.calls.map((c) => [c.idempotencyKey, JSON.parse(new TextDecoder().decode(c.payload)) as { doctype: string }]));
    expect([...bodies.values()].every((b) => b.doctype === 'Journal Entry')).toBe(true);
    expect(keysOf(out.billing).size).toBe(devices.length);
    expect(keysOf(out.stock).size).toBe(devices.length);
    // HIP: 6 on hand, par 4 → the third consumption takes it to 3 → one replenishment; PACER 3 → 2 is not below par
    expect([...keysOf(out.procurement)]).toEqual([`procurement:replenishment:OR-1:IMP-HIP-STEM:1`]);
    const po = JSON.parse(new TextDecoder().decode(out.procurement.calls[0].payload)) as { poNumber: string; lines: Array<{ quantity: number; gtin: string }> };
    expect(po.lines[0]).toMatchObject({ quantity: 1, gtin: hip.gtin });
    expect(await pm.countByStatus('implant-case')).toEqual({ open: 0, waiting: 0, completed: 4, exception: 0 });
    console.log(`[processes-e2e] ${feed.length} events; erp deliveries ${out.erp.calls.length} for ${erpKeys.length} keys`);
  });

  it('an event that is not canonical fails the message with a clear error', async () => {
    const t = tempDir();
    const pstore = await openSqliteProcessStore({ dataDir: t.dir });
    const pm = new ProcessManager({ store: pstore, processes: [implantCaseProcess({ catalog })] });
    const steps = new StepRegistry();
    registerProcessSteps(steps, pm);
    const engine = await startEngine([{ name: 'events', sourceSystem: 'loom', contentType: ContentTypes.json,
      steps: [{ use: 'process', with: { name: 'implant-case' } }, { use: 'process-effect' }], destinations: [{ name: 'erp', connector: new ScriptedConnector() }] }], { steps }, t.dir);
    cleanups.push(t.cleanup, () => pstore.close(), () => engine.stop());
    const r = await engine.receive({ channel: 'events', payload: enc('{"type":"device.implanted"}') });
    const d = await waitFor(async () => { const m = await engine.show(r.messageId); return m?.status === 'failed' ? m : undefined; }, 'failed');
    expect(d.error).toContain('process.event.invalid');
  });
});
