import { afterEach, describe, expect, it } from 'vitest';
import { readHl7Header } from '../../src/codecs/hl7v2/index.js';
import type { Engine } from '../../src/engine/index.js';
import { ContentTypes, type Clock } from '../../src/kernel/index.js';
import { adt, enc, Receiver, ScriptedConnector, startEngine, tempDir, waitFor } from './engine-harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function engineWith(...args: Parameters<typeof startEngine>): Promise<Engine> {
  const t = tempDir();
  const e = await startEngine(args[0], args[1], args[2] ?? t.dir);
  cleanups.push(t.cleanup, () => e.stop());
  return e;
}
const hl7 = { [ContentTypes.hl7v2]: readHl7Header };

describe('engine: journal → outbox → delivery', () => {
  it('delivers to a real HTTP receiver and answers accepted only after the commit', async () => {
    const receiver = await new Receiver().listen();
    cleanups.push(() => receiver.close());
    const engine = await engineWith(
      [{ name: 'adt', sourceSystem: 'ehr', contentType: ContentTypes.hl7v2, destinations: [{ name: 'erp', connector: receiver.connector() }] }],
      { headerReaders: hl7 },
    );
    const receipt = await engine.receive({ channel: 'adt', payload: adt('C1') });
    expect(receipt).toMatchObject({ outcome: 'accepted', controlId: 'C1', ackMode: 'original' });
    // durable before the receipt resolved: the journal has it already
    expect((await engine.show(receipt.messageId))?.envelope.sourceSystem).toBe('EPIC^MAIN');
    await waitFor(() => receiver.bodies.length === 1, 'delivery');
    expect(receiver.bodies[0]).toContain('|C1|');
    const detail = await waitFor(async () => {
      const d = await engine.show(receipt.messageId);
      return d?.deliveries[0]?.status === 'delivered' ? d : undefined;
    }, 'delivered status');
    expect(detail.status).toBe('processed');
    expect((await engine.search({ q: 'C1' })).items.map((m) => m.envelope.id)).toEqual([receipt.messageId]);
  });

  it('group-commits concurrent receives into far fewer transactions', async () => {
    const out = new ScriptedConnector();
    const engine = await engineWith([{ name: 'c', sourceSystem: 's', contentType: 'text/plain', destinations: [{ name: 'd', connector: out }] }]);
    const before = engine.store.stats().commits;
    const receipts = await Promise.all(Array.from({ length: 400 }, (_, i) => engine.receive({ channel: 'c', payload: enc(`m${i}`) })));
    expect(receipts.every((r) => r.outcome === 'accepted')).toBe(true);
    const journalCommits = engine.store.stats().commits - before;
    expect(journalCommits).toBeLessThan(100); // one per message without group commit: 400+
    await waitFor(() => out.calls.length === 400, '400 deliveries');
  });

  it('processes a reused control id once within the window, and again after it', async () => {
    let now = Date.now();
    const clock: Clock = { now: () => now };
    const out = new ScriptedConnector();
    const engine = await engineWith(
      [{ name: 'adt', sourceSystem: 'ehr', contentType: ContentTypes.hl7v2, dedupWindowMs: 60_000, destinations: [{ name: 'd', connector: out }] }],
      { headerReaders: hl7, clock },
    );
    const a = await engine.receive({ channel: 'adt', payload: adt('SAME') });
    const b = await engine.receive({ channel: 'adt', payload: adt('SAME') });
    expect([a.outcome, b.outcome]).toEqual(['accepted', 'duplicate']);
    await waitFor(() => out.calls.length === 1, 'first delivery');
    now += 120_000; // EHR restarted and reuses MSH-10 after the window
    const c = await engine.receive({ channel: 'adt', payload: adt('SAME') });
    expect(c.outcome).toBe('accepted');
    await waitFor(() => out.calls.length === 2, 'second delivery');
    await engine.whenIdle();
    expect(out.calls.length).toBe(2);
    expect((await engine.search({ status: 'duplicate' })).items.map((m) => m.envelope.id)).toEqual([b.messageId]);
  });

  it('dedups by content hash when there is no header reader', async () => {
    const out = new ScriptedConnector();
    const engine = await engineWith([{ name: 'c', sourceSystem: 's', contentType: 'text/plain', destinations: [{ name: 'd', connector: out }] }]);
    expect((await engine.receive({ channel: 'c', payload: enc('same bytes') })).outcome).toBe('accepted');
    expect((await engine.receive({ channel: 'c', payload: enc('same bytes') })).outcome).toBe('duplicate');
  });

  it('journals an unreadable header as rejected and never delivers it', async () => {
    const out = new ScriptedConnector();
    const engine = await engineWith([{ name: 'adt', sourceSystem: 'ehr', contentType: ContentTypes.hl7v2, destinations: [{ name: 'd', connector: out }] }], { headerReaders: hl7 });
    const r = await engine.receive({ channel: 'adt', payload: enc('not hl7 at all') });
    expect(r.outcome).toBe('rejected');
    expect(r.errors[0].code).toMatch(/^hl7\./);
    const stored = await engine.show(r.messageId);
    expect(stored?.status).toBe('rejected');
    expect(new TextDecoder().decode(stored?.payload)).toBe('not hl7 at all');
    expect(out.calls.length).toBe(0);
  });

  it('original mode with validateBeforeAck rejects invalid messages before the ACK', async () => {
    const out = new ScriptedConnector();
    const engine = await engineWith(
      [{ name: 'adt', sourceSystem: 'ehr', contentType: ContentTypes.hl7v2, validateBeforeAck: true, destinations: [{ name: 'd', connector: out }] }],
      { headerReaders: hl7, validators: { [ContentTypes.hl7v2]: (p) => (new TextDecoder().decode(p).includes('PID|') ? [] : [{ code: 'hl7.segment.missing', message: 'PID is missing', location: 'PID' }]) } },
    );
    const bad = await engine.receive({ channel: 'adt', payload: enc('MSH|^~\\&|A|B|C|D|20240101||ADT^A01|X1|P|2.5\r') });
    expect(bad).toMatchObject({ outcome: 'rejected', errors: [{ code: 'hl7.segment.missing' }] });
    expect((await engine.receive({ channel: 'adt', payload: adt('X2') })).outcome).toBe('accepted');
  });

  it('runs filter, translate, route and split steps and keeps lineage', async () => {
    const a = new ScriptedConnector();
    const b = new ScriptedConnector();
    const engine = await engineWith(
      [{
        name: 'orders', sourceSystem: 'proc', contentType: 'application/json',
        steps: [
          { use: 'filter', with: { when: { path: 'kind', equals: 'order' } } },
          { use: 'split', with: { by: (ctx: { parsed(): unknown }) => ((ctx.parsed() as { lines: unknown[] }).lines).map((l) => ({ payload: JSON.stringify(l) })) } },
          { use: 'route', with: { routes: [{ when: { path: 'site', equals: 'A' }, to: ['a'] }], otherwise: ['b'] } },
          { use: 'translate', with: { mapping: 'upper' } },
        ],
        destinations: [{ name: 'a', connector: a }, { name: 'b', connector: b }],
      }],
      { mappings: { upper: (input, ctx) => { ctx.setKey('gtin', String((input as { gtin: string }).gtin)); return { payload: ctx.text().toUpperCase() }; } } },
    );
    const dropped = await engine.receive({ channel: 'orders', payload: enc('{"kind":"other"}') });
    const r = await engine.receive({ channel: 'orders', payload: enc(JSON.stringify({ kind: 'order', lines: [{ site: 'A', gtin: '0001' }, { site: 'B', gtin: '0002' }] })) });
    await waitFor(() => a.calls.length === 1 && b.calls.length === 1, 'split deliveries');
    expect(a.delivered()[0]).toContain('"GTIN":"0001"');
    expect(b.delivered()[0]).toContain('"GTIN":"0002"');
    const child = (await engine.search({ q: '0002' })).items[0];
    expect((await engine.show(child.envelope.id))?.lineage).toEqual([r.messageId, child.envelope.id]);
    const d = await engine.show(dropped.messageId);
    expect(d?.steps.map((s) => s.status)).toEqual(['filtered']);
    expect(d?.deliveries).toEqual([]);
  });

  it('refuses intake on a paused channel without storing', async () => {
    const engine = await engineWith([{ name: 'c', sourceSystem: 's', contentType: 'text/plain', destinations: [] }]);
    await engine.pause('c', { actor: 'ops' });
    await expect(engine.receive({ channel: 'c', payload: enc('x') })).rejects.toMatchObject({ code: 'intake.paused' });
    await engine.resume('c', { actor: 'ops' });
    expect((await engine.receive({ channel: 'c', payload: enc('x') })).outcome).toBe('accepted');
    expect((await engine.channelStatus())[0]).toMatchObject({ name: 'c', paused: false });
    expect((await engine.listActions()).map((a) => a.action)).toEqual(['channel.resume', 'channel.pause']);
  });
});
