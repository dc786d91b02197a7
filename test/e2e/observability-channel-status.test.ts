import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/index.js';
import { LoomError, type DeliveryResult, type OutboundConnector } from '../../src/kernel/index.js';
import { EngineSignals, type DeliverySample } from '../../src/observability/index.js';
import { startEngine, tempDir, waitFor } from './engine-harness.js';

// engine.channelStatus(): per-destination circuit state and counts, and a true received total.

/** An in-process destination whose answer the test switches. */
function switchable(): OutboundConnector & { mode: 'up' | 'down' | 'reject' } {
  const c = {
    kind: 'test',
    mode: 'up' as 'up' | 'down' | 'reject',
    async deliver(): Promise<DeliveryResult> {
      if (c.mode === 'up') return { status: 'delivered' };
      const error = new LoomError('delivery.http.status', `peer answered ${c.mode}`);
      return c.mode === 'down' ? { status: 'retry', error } : { status: 'failed', error };
    },
    async close() {},
  };
  return c;
}

let engine: Engine | undefined;
const dirs: Array<{ cleanup(): void }> = [];
afterEach(async () => {
  await engine?.stop({ closeStore: true });
  engine = undefined;
  for (const d of dirs.splice(0)) d.cleanup();
});

const send = (channel: string, text: string) => engine!.receive({ channel, payload: new TextEncoder().encode(text), sourceSystem: 'test' });

describe('engine.channelStatus() destinations', () => {
  it('counts delivered and dead per destination, totals received, and shows the breaker opening', async () => {
    const erp = switchable();
    const wms = switchable();
    const dir = tempDir();
    dirs.push(dir);
    engine = await startEngine(
      [{
        name: 'usage',
        sourceSystem: 'inventory',
        contentType: 'text/plain',
        destinations: [
          { name: 'erp', connector: erp, retry: { maxAttempts: 1 }, breaker: { threshold: 2, cooldownMs: 60_000 } },
          { name: 'wms', connector: wms },
        ],
      }],
      {},
      dir.dir,
    );
    const status = async () => (await engine!.channelStatus()).find((s) => s.name === 'usage')!;
    const fresh = await status();
    expect(fresh.received).toBe(0);
    expect(fresh.destinations).toEqual([
      { name: 'erp', circuit: 'closed', pending: 0, delivered: 0, dead: 0, oldestPendingMs: 0 },
      { name: 'wms', circuit: 'closed', pending: 0, delivered: 0, dead: 0, oldestPendingMs: 0 },
    ]);

    for (const n of [1, 2, 3]) await send('usage', `ok-${n}`);
    await waitFor(async () => (await status()).destinations.every((d) => d.delivered === 3), 'three deliveries each');

    erp.mode = 'down';
    await send('usage', 'down-1');
    await send('usage', 'down-2');
    await waitFor(async () => (await status()).destinations[0].dead === 2, 'two dead letters on erp');
    const after = await status();
    expect(after.destinations[0]).toMatchObject({ name: 'erp', circuit: 'open', delivered: 3, dead: 2, pending: 0 });
    expect(after.destinations[1]).toMatchObject({ name: 'wms', circuit: 'closed', delivered: 5, dead: 0 });
    // All five messages, whatever status they moved on to.
    expect(after.received).toBe(5);
    expect(Object.values(after.counts).reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('shows a row waiting on a down destination as pending', async () => {
    const erp = switchable();
    erp.mode = 'down';
    const dir = tempDir();
    dirs.push(dir);
    engine = await startEngine(
      [{ name: 'charges', sourceSystem: 'ehr', contentType: 'text/plain', destinations: [{ name: 'erp', connector: erp, retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 } }] }],
      {},
      dir.dir,
    );
    await send('charges', 'c-1');
    await waitFor(async () => (await engine!.channelStatus())[0].destinations[0].pending === 1, 'one pending row');
    const erpStatus = (await engine!.channelStatus())[0].destinations[0];
    expect(erpStatus).toMatchObject({ delivered: 0, dead: 0, circuit: 'closed' });
    expect(erpStatus.oldestPendingMs).toBeGreaterThanOrEqual(0);
    await waitFor(async () => (await engine!.channelStatus())[0].destinations[0].oldestPendingMs >= 50, 'the pending row to age');
  });
});

describe('receipt → delivered latency across a restart', () => {
  it('samples a delivery whose message was received by the engine before it restarted', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const down = switchable();
    down.mode = 'down';
    const channel = (connector: OutboundConnector) => [{ name: 'adt', sourceSystem: 'ehr', contentType: 'text/plain', destinations: [{ name: 'erp', connector, retry: { maxAttempts: 100, baseDelayMs: 10, maxDelayMs: 20 } }] }];
    const first = await startEngine(channel(down), {}, dir.dir);
    const receivedBefore = Date.now();
    await first.receive({ channel: 'adt', payload: new TextEncoder().encode('before the restart') });
    await first.stop({ closeStore: true });
    await new Promise((r) => setTimeout(r, 50));

    engine = await startEngine(channel(switchable()), {}, dir.dir);
    const signals = new EngineSignals();
    signals.attach(engine.events);
    const samples: DeliverySample[] = [];
    signals.onDelivery((s) => samples.push(s));
    await waitFor(() => samples.length === 1, 'the delivery after the restart');
    // measured from the stored receipt, so it spans the restart
    expect(samples[0]).toMatchObject({ channel: 'adt', destination: 'erp' });
    expect(samples[0].latencyMs).toBeGreaterThanOrEqual(50);
    expect(samples[0].latencyMs).toBeLessThanOrEqual(Date.now() - receivedBefore + 5);
  });
});
