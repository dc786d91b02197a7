import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/index.js';
import { backoffDelay } from '../../src/engine/index.js';
import { enc, Receiver, ScriptedConnector, startEngine, tempDir, waitFor } from './engine-harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function engineWith(...args: Parameters<typeof startEngine>): Promise<Engine> {
  const t = tempDir();
  const e = await startEngine(args[0], args[1], t.dir);
  cleanups.push(t.cleanup, () => e.stop());
  return e;
}
const fast = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

describe('engine: retry, breaker, dead letters, replay', () => {
  it('backs off exponentially with jitter and caps the delay', () => {
    const p = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, p, () => 1)).toBe(100);
    expect(backoffDelay(3, p, () => 1)).toBe(400);
    expect(backoffDelay(9, p, () => 1)).toBe(1000);
    expect(backoffDelay(3, p, () => 0)).toBe(200);
  });

  it('retries transient failures then delivers once', async () => {
    const out = new ScriptedConnector(['retry', 'retry']);
    const retried: number[] = [];
    const engine = await engineWith([{ name: 'c', sourceSystem: 's', contentType: 'text/plain', destinations: [{ name: 'd', connector: out, retry: fast }] }]);
    engine.events.on('retried', (e) => retried.push(e.attempt));
    const r = await engine.receive({ channel: 'c', payload: enc('hello') });
    const row = await waitFor(async () => (await engine.show(r.messageId))?.deliveries.find((d) => d.status === 'delivered'), 'delivered');
    expect(out.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(out.calls.map((c) => c.idempotencyKey)).size).toBe(1);
    expect(retried).toEqual([1, 2]);
    expect(row.attempts).toBe(3);
  });

  it('loses nothing while the HTTP receiver is down (503, then refused), then up', async () => {
    const receiver = await new Receiver().listen();
    cleanups.push(() => receiver.close());
    receiver.mode = 'down';
    const engine = await engineWith([{
      name: 'c', sourceSystem: 's', contentType: 'text/plain',
      destinations: [{ name: 'erp', connector: receiver.connector(), retry: { maxAttempts: 1000, baseDelayMs: 10, maxDelayMs: 50 }, breaker: { threshold: 1000, cooldownMs: 50 } }],
    }]);
    const sent = Array.from({ length: 50 }, (_, i) => `msg-${i}`);
    await Promise.all(sent.slice(0, 25).map((m) => engine.receive({ channel: 'c', payload: enc(m) })));
    await waitFor(() => receiver.requests >= 10, 'failed attempts');
    await receiver.close(); // connection refused now
    await Promise.all(sent.slice(25).map((m) => engine.receive({ channel: 'c', payload: enc(m) })));
    receiver.mode = 'up';
    await receiver.listen(receiver.port);
    await waitFor(() => receiver.bodies.length === 50, 'all 50 delivered', 20_000);
    expect([...receiver.bodies].sort()).toEqual([...sent].sort());
    expect((await engine.listDeadLetters()).items).toEqual([]);
  });

  it('opens the circuit breaker after consecutive failures and stops calling the destination', async () => {
    const out = new ScriptedConnector([], 'retry');
    const other = new ScriptedConnector();
    const engine = await engineWith([{
      name: 'c', sourceSystem: 's', contentType: 'text/plain',
      destinations: [
        { name: 'd', connector: out, retry: { maxAttempts: 100, baseDelayMs: 1, maxDelayMs: 2 }, breaker: { threshold: 3, cooldownMs: 60_000 } },
        { name: 'ok', connector: other },
      ],
    }]);
    let opened = 0;
    engine.events.on('breakerOpened', () => opened++);
    await engine.receive({ channel: 'c', payload: enc('x') });
    await waitFor(() => opened === 1, 'breaker open');
    const calls = out.calls.length;
    expect(calls).toBe(3);
    // while the circuit is open the destination is held: its new rows are not even claimed (no
    // attempt, no retry write per row), and the channel's other destination keeps delivering
    const claims: string[] = [];
    const claimDue = engine.store.claimDue.bind(engine.store);
    engine.store.claimDue = async (...args) => {
      const rows = await claimDue(...args);
      claims.push(...rows.map((r) => r.destination));
      return rows;
    };
    const later = await Promise.all(['y1', 'y2', 'y3'].map((p) => engine.receive({ channel: 'c', payload: enc(p) })));
    await waitFor(() => other.calls.length === 4, 'the other destination delivers');
    for (const r of later) expect((await engine.show(r.messageId))?.deliveries.find((d) => d.destination === 'd')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(claims).not.toContain('d');
    expect(out.calls.length).toBe(calls);
  });

  it('after the cooldown a trial call goes; when it succeeds the held backlog drains', async () => {
    const out = new ScriptedConnector(['retry', 'retry']);
    const engine = await engineWith([{
      name: 'c', sourceSystem: 's', contentType: 'text/plain',
      destinations: [{ name: 'd', connector: out, retry: { maxAttempts: 100, baseDelayMs: 1, maxDelayMs: 2 }, breaker: { threshold: 2, cooldownMs: 300 } }],
    }]);
    const events: string[] = [];
    engine.events.on('breakerOpened', () => events.push('opened'));
    engine.events.on('breakerClosed', () => events.push('closed'));
    await engine.receive({ channel: 'c', payload: enc('first') });
    await waitFor(() => events.includes('opened'), 'breaker open');
    const backlog = Array.from({ length: 20 }, (_, i) => `held-${i}`);
    await Promise.all(backlog.map((p) => engine.receive({ channel: 'c', payload: enc(p) })));
    await waitFor(() => new Set(out.delivered()).size === 21, 'everything delivered after the cooldown', 10_000);
    expect(events).toEqual(['opened', 'closed']);
    // two failures, one successful trial, then each held row once
    expect(out.calls.length).toBe(23);
  });

  it('dead-letters after max attempts; replay delivers with the same idempotency key', async () => {
    const out = new ScriptedConnector([], 'retry');
    const engine = await engineWith([{ name: 'c', sourceSystem: 's', contentType: 'text/plain', destinations: [{ name: 'd', connector: out, retry: fast }] }]);
    const r = await engine.receive({ channel: 'c', payload: enc('doomed') });
    const dl = await waitFor(async () => (await engine.listDeadLetters()).items[0], 'dead letter');
    expect(dl).toMatchObject({ messageId: r.messageId, destination: 'd', code: 'delivery.exhausted', discarded: false });
    expect(out.calls.length).toBe(4);
    out.fallback = 'delivered';
    await engine.replayDeadLetter(dl.id, { actor: 'ops' });
    await waitFor(async () => (await engine.show(r.messageId))?.deliveries[0]?.status === 'delivered', 'replayed delivery');
    expect(out.calls.length).toBe(5);
    expect(new Set(out.calls.map((c) => c.idempotencyKey)).size).toBe(1);
    expect((await engine.store.getDeadLetter(dl.id))?.replayedAt).toBeTypeOf('number');
  });

  it('a permanent failure dead-letters at once and can be discarded with a reason', async () => {
    const out = new ScriptedConnector(['failed']);
    const engine = await engineWith([{ name: 'c', sourceSystem: 's', contentType: 'text/plain', destinations: [{ name: 'd', connector: out, retry: fast }] }]);
    await engine.receive({ channel: 'c', payload: enc('bad') });
    const dl = await waitFor(async () => (await engine.listDeadLetters()).items[0], 'dead letter');
    expect(out.calls.length).toBe(1);
    await engine.discardDeadLetter(dl.id, 'sender fixed it', { actor: 'ops' });
    expect((await engine.listDeadLetters()).items).toEqual([]);
    expect((await engine.listDeadLetters({ includeDiscarded: true })).items[0]).toMatchObject({ discarded: true, discardReason: 'sender fixed it' });
  });

  it('replay and resend keep the effect key unless as new; edit-and-resend keeps the original', async () => {
    const receiver = await new Receiver().listen();
    cleanups.push(() => receiver.close());
    const engine = await engineWith([{ name: 'c', sourceSystem: 's', contentType: 'text/plain', destinations: [{ name: 'erp', connector: receiver.connector() }] }]);
    const r = await engine.receive({ channel: 'c', payload: enc('charge 1') });
    await waitFor(() => receiver.requests === 1, 'first');
    const replayId = await engine.replay(r.messageId, { actor: 'ops' });
    await engine.resend(r.messageId, 'erp', { actor: 'ops' });
    await waitFor(() => receiver.requests === 3, 'replay + resend');
    expect(receiver.byKey.size).toBe(1); // the idempotent receiver saw one effect three times
    expect((await engine.show(replayId))?.lineage).toEqual([r.messageId, replayId]);
    await engine.replay(r.messageId, { actor: 'ops', asNew: true, note: 'ERP lost it' });
    await waitFor(() => receiver.byKey.size === 2, 'as-new effect');
    const editId = await engine.editAndResend(r.messageId, enc('charge 1 corrected'), { actor: 'ops', asNew: true });
    await waitFor(() => receiver.bodies.includes('charge 1 corrected'), 'edited delivery');
    const original = await engine.show(r.messageId);
    expect(new TextDecoder().decode(original?.payload)).toBe('charge 1');
    expect(original?.edits.map((e) => new TextDecoder().decode(e.payload))).toEqual(['charge 1 corrected']);
    expect((await engine.show(editId))?.envelope.causationId).toBe(r.messageId);
    expect((await engine.listActions()).map((a) => a.action)).toEqual(
      expect.arrayContaining(['message.replay', 'message.resend', 'message.replay-as-new', 'message.edit-resend']),
    );
  });
});
