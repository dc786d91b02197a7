import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/index.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../src/kernel/index.js';
import { LoomError } from '../../src/kernel/index.js';
import { enc, ScriptedConnector, startEngine, tempDir, waitFor } from './engine-harness.js';

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
const text = (r: DeliveryRequest) => new TextDecoder().decode(r.payload);

/** Fails every delivery whose payload contains `poison` until `healed`. */
class PoisonConnector implements OutboundConnector {
  readonly kind = 'poison';
  readonly delivered: string[] = [];
  healed = false;
  async deliver(r: DeliveryRequest): Promise<DeliveryResult> {
    if (!this.healed && text(r).includes('poison')) return { status: 'retry', error: new LoomError('test.down', 'down for this one') };
    this.delivered.push(text(r));
    return { status: 'delivered' };
  }
  async close(): Promise<void> {}
}

describe('engine ordering and backpressure', () => {
  it('parks a key that exhausts retries while other keys flow; release resumes in order', async () => {
    const out = new PoisonConnector();
    const engine = await engineWith([{
      name: 'adt', sourceSystem: 'ehr', contentType: 'text/plain', ordered: true,
      steps: [{ use: 'key', with: {} }],
      destinations: [{ name: 'erp', connector: out, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } }],
    }], { steps: registryWithKeyStep() });
    const send = (s: string) => engine.receive({ channel: 'adt', payload: enc(s) });
    await send('P1:1 poison');
    await send('P1:2');
    await send('P2:1');
    await send('P1:3');
    await send('P2:2');
    const parked = await waitFor(async () => (await engine.listParked('adt'))[0], 'parked key');
    expect(parked).toMatchObject({ destination: 'erp', orderingKey: 'P1', waiting: 3 });
    await waitFor(() => out.delivered.length === 2, 'P2 flows');
    expect(out.delivered).toEqual(['P2:1', 'P2:2']);
    expect((await engine.listDeadLetters()).items).toEqual([]); // ordered channels park instead
    out.healed = true;
    expect(await engine.releaseParked('adt', 'erp', 'P1', { actor: 'ops' })).toBe(1);
    await waitFor(() => out.delivered.length === 5, 'P1 resumes');
    expect(out.delivered.slice(2)).toEqual(['P1:1 poison', 'P1:2', 'P1:3']);
    expect(await engine.listParked()).toEqual([]);
  });

  it('keeps FIFO per key through retries', async () => {
    const out = new ScriptedConnector(['retry', 'retry']);
    const engine = await engineWith([{
      name: 'adt', sourceSystem: 'ehr', contentType: 'text/plain', ordered: true, steps: [{ use: 'key' }],
      destinations: [{ name: 'erp', connector: out, retry: { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 10 } }],
    }], { steps: registryWithKeyStep() });
    for (let i = 1; i <= 5; i++) await engine.receive({ channel: 'adt', payload: enc(`K:${i}`) });
    await waitFor(() => new Set(out.delivered()).size === 5 && out.calls.length === 7, 'all delivered');
    expect(out.delivered().slice(2)).toEqual(['K:1', 'K:2', 'K:3', 'K:4', 'K:5']);
  });

  it('makes receive wait when in-flight work is over the bound', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const reg = registryWithKeyStep();
    reg.register('hold', () => async () => void (await gate));
    const engine = await engineWith(
      [{ name: 'c', sourceSystem: 's', contentType: 'text/plain', steps: [{ use: 'hold' }], destinations: [{ name: 'd', connector: new ScriptedConnector() }] }],
      { steps: reg, maxInFlight: 10 },
    );
    cleanups.push(() => release());
    const writesBefore = engine.store.stats().writes;
    let done = 0;
    const all = Array.from({ length: 30 }, (_, i) => engine.receive({ channel: 'c', payload: enc(`m${i}`) }).then(() => done++));
    await waitFor(() => done === 10, 'first 10 receipts');
    expect(engine.store.stats().writes - writesBefore).toBe(10); // the other 20 are not even journaled: the sender waits
    expect(done).toBe(10);
    release();
    await Promise.all(all);
    expect(done).toBe(30);
  });
});

import { StepRegistry } from '../../src/engine/index.js';
/** `key` step: ordering key = text before the colon (patient, encounter...). */
function registryWithKeyStep(): StepRegistry {
  const reg = new StepRegistry();
  reg.register('key', () => (ctx) => ctx.setOrderingKey(ctx.text().split(':')[0]));
  return reg;
}
