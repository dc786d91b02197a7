// X12 trading partners through a real Engine on the SQLite store: inbound control-number checks
// (gap, duplicate, replay, restart) and outbound stamping with expected 997s.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { codecBindings } from '../../src/app/codec-bindings.js';
import { build850, build997, parseX12, serializeX12, validateX12 } from '../../src/codecs/x12/index.js';
import { StepRegistry, type Engine } from '../../src/engine/index.js';
import { envelope850, loadTradingPartners } from '../../src/estate/index.js';
import { ContentTypes } from '../../src/kernel/index.js';
import { PartnerService, profilesFromEstate, registerPartnerSteps } from '../../src/partners/index.js';
import { enc, ScriptedConnector, startEngine, tempDir, waitFor } from './engine-harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const estatePartners = loadTradingPartners(path.join(repoRoot, 'examples/estate/master-data/trading-partners.json'));
const HOUR = 3_600_000;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let now = Date.parse('2026-03-02T08:00:00Z');
const clock = { now: () => now };

/** Partner service + engine on one data dir; `stop` closes both (the restart test reopens). */
async function boot(dataDir: string, channels: Parameters<typeof startEngine>[0]): Promise<{ engine: Engine; partners: PartnerService; stop(): Promise<void> }> {
  const partners = new PartnerService({ dataDir, clock, partners: profilesFromEstate(estatePartners, { 'VENDOR-A': { ackWithin: 4 * HOUR } }) });
  const steps = new StepRegistry();
  registerPartnerSteps(steps, partners);
  const engine = await startEngine(channels, { ...codecBindings, steps, clock }, dataDir);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await engine.stop();
    await partners.close();
  };
  cleanups.push(stop);
  return { engine, partners, stop };
}

/** An 855-ish interchange from Acme (ISA06 ACMEORTHO) with the given ISA13 / GS06. */
function fromAcme(isa13: number, gs06 = isa13): Uint8Array {
  const ic = build850({ poNumber: `PO-${isa13}`, date: '2026-03-02', lines: [{ quantity: 1, uom: 'EA', unitPrice: 5 }] }, {
    senderId: 'ACMEORTHO', receiverId: 'LOOMHOSP', controlNumber: isa13, groupControlNumber: gs06, timestamp: '2026-03-02T08:00:00Z',
  });
  return enc(serializeX12(ic));
}

async function settled(engine: Engine, id: string): Promise<{ status: string; error?: string }> {
  return waitFor(async () => {
    const d = await engine.show(id);
    return d && d.status !== 'received' && d.status !== 'processing' ? { status: d.status, ...(d.error ? { error: d.error } : {}) } : undefined;
  }, `message ${id} settled`);
}

describe('x12-partner-inbound through the engine', () => {
  it('passes the sequence, fails gaps and duplicates with the error (stored, never dropped), survives a restart', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const out = new ScriptedConnector();
    // dedupWindowMs 0: the engine's own 24 h idempotent receiver would hide the duplicate; the
    // partner check keeps every number forever.
    const channels = [{ name: 'vendor-in', sourceSystem: 'vendor', contentType: ContentTypes.x12, dedupWindowMs: 0,
      steps: [{ use: 'x12-partner-inbound' }], destinations: [{ name: 'erp', connector: out }] }];
    const first = await boot(t.dir, channels);
    const receive = async (payload: Uint8Array): Promise<{ id: string; status: string; error?: string }> => {
      const r = await first.engine.receive({ channel: 'vendor-in', payload });
      return { id: r.messageId, ...(await settled(first.engine, r.messageId)) };
    };
    expect((await receive(fromAcme(1))).status).toBe('processed');
    expect((await receive(fromAcme(2))).status).toBe('processed');
    const gap = await receive(fromAcme(4));
    expect(gap.status).toBe('failed');
    expect(gap.error).toMatch(/^x12\.control\.gap at ISA13: partner VENDOR-A interchange control number 000000004 skips 3/);
    const dup = await receive(fromAcme(2));
    expect(dup.status).toBe('failed');
    expect(dup.error).toContain('x12.control.duplicate');
    await waitFor(() => out.calls.length >= 2, 'two deliveries');
    await first.engine.whenIdle();
    expect(out.calls).toHaveLength(2);
    expect((await first.engine.show(gap.id))?.deliveries).toEqual([]); // failed: kept, not delivered
    // searchable by partner key and control number
    expect((await first.engine.search({ q: '000000004' })).items.map((m) => m.envelope.id)).toEqual([gap.id]);
    // the operator looked at the gap and replays: the same message is a repeat, not a duplicate
    const replayId = await first.engine.replay(gap.id, { actor: 'ops' });
    expect((await settled(first.engine, replayId)).status).toBe('processed');
    await waitFor(() => out.calls.length === 3, 'replayed gap delivered');
    await first.stop();

    const second = await boot(t.dir, channels);
    const again = await second.engine.receive({ channel: 'vendor-in', payload: fromAcme(4) });
    expect((await settled(second.engine, again.messageId)).error).toContain('x12.control.duplicate');
    const next = await second.engine.receive({ channel: 'vendor-in', payload: fromAcme(5) });
    expect((await settled(second.engine, next.messageId)).status).toBe('processed');
  });
});

describe('x12-partner-outbound through the engine', () => {
  it('stamps fresh control numbers into the estate 850, registers the 997 and keeps numbers on replay', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    now = Date.parse('2026-03-02T08:00:00Z');
    const out = new ScriptedConnector();
    const { engine, partners } = await boot(t.dir, [
      { name: 'po-out', sourceSystem: 'procurement', contentType: ContentTypes.x12, steps: [{ use: 'x12-partner-outbound' }], destinations: [{ name: 'acme', connector: out }] },
      { name: 'vendor-in', sourceSystem: 'vendor', contentType: ContentTypes.x12, steps: [{ use: 'x12-partner-inbound' }], destinations: [{ name: 'erp', connector: new ScriptedConnector() }] },
    ]);
    const po = (n: string): Uint8Array => enc(envelope850({ poNumber: n, date: '2026-03-02', vendor: { name: 'x', id: 'VENDOR-A' }, lines: [{ quantity: 1, uom: 'EA', unitPrice: 3 }] }, estatePartners).text);
    const a = await engine.receive({ channel: 'po-out', payload: po('RQ-1') });
    await waitFor(() => out.calls.length === 1, 'first delivery');
    now += HOUR;
    await engine.receive({ channel: 'po-out', payload: po('RQ-2') });
    await waitFor(() => out.calls.length === 2, 'second delivery');
    const sent = out.delivered().map((text) => parseX12(text));
    expect(sent.map((ic) => [ic.controlNumber, ic.iea?.elements[1], ic.groups[0].controlNumber, ic.groups[0].ge?.elements[1], ic.groups[0].sets[0].controlNumber, ic.groups[0].sets[0].se?.elements[1]]))
      .toEqual([['000000001', '000000001', '1', '1', '0001', '0001'], ['000000002', '000000002', '2', '2', '0002', '0002']]);
    for (const ic of sent) expect(validateX12(ic).errors).toEqual([]);
    expect((await partners.expected('VENDOR-A', '1'))?.status).toBe('pending');

    // Acme acknowledges the second only; the first becomes overdue 4 h after it was stamped
    const ack = await engine.receive({ channel: 'vendor-in', payload: enc(serializeX12(build997(sent[1], { controlNumber: 77, timestamp: '2026-03-02T10:00:00Z' }))) });
    expect((await settled(engine, ack.messageId)).status).toBe('processed');
    expect(await partners.expected('VENDOR-A', '2')).toMatchObject({ status: 'accepted', ak9: 'A', ackIsa13: '000000077' });
    expect((await partners.expected('VENDOR-A', '1'))?.status).toBe('pending');
    expect((await partners.overdue(Date.parse('2026-03-02T12:00:01Z'))).map((o) => [o.error.code, o.expected.isa13])).toEqual([['x12.ack.overdue', '000000001']]);

    // a replay is the same effect: same numbers, so the partner's duplicate check recognises it
    const replayId = await engine.replay(a.messageId, { actor: 'ops' });
    await settled(engine, replayId);
    await waitFor(() => out.calls.length === 3, 'replayed delivery');
    expect(parseX12(out.delivered()[2]).controlNumber).toBe('000000001');
    await engine.receive({ channel: 'po-out', payload: po('RQ-3') });
    await waitFor(() => out.calls.length === 4, 'third delivery');
    expect(parseX12(out.delivered()[3]).controlNumber).toBe('000000003');
  });
});
