import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { LoomError } from '../../src/kernel/index.js';
import type { Completion, Store } from '../../src/kernel/store.js';
import { openSqliteStore } from '../../src/store/index.js';
import { enc, ScriptedConnector, tempDir, waitFor } from './engine-harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The real SQLite store whose `complete` fails (as on a full disk) the first `failures` times. */
function failingCompletions(store: Store, failures: number): Store & { failed: number } {
  const state = { failed: 0 };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'failed') return state.failed;
      if (property === 'complete') {
        return async (completion: Completion) => {
          if (state.failed < failures) {
            state.failed++;
            throw new LoomError('store.full', 'database or disk is full');
          }
          return target.complete(completion);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Store & { failed: number };
}

describe('engine: a store that cannot record a completion', () => {
  it('keeps running, reports the error, and processes the message once the store writes again', async () => {
    const t = tempDir();
    const store = failingCompletions(await openSqliteStore({ dataDir: t.dir }), 2);
    const out = new ScriptedConnector([]);
    const engine = new Engine({ store });
    const errors: string[] = [];
    engine.events.on('error', (e) => errors.push(e.code));
    engine.applyChannels([{ name: 'c', sourceSystem: 's', contentType: 'text/plain', destinations: [{ name: 'd', connector: out }] }]);
    await engine.start();
    cleanups.push(t.cleanup, () => engine.stop());

    const receipt = await engine.receive({ channel: 'c', payload: enc('kept') });
    expect(receipt.outcome).toBe('accepted');
    await waitFor(() => out.calls.length === 1, 'delivery after the store recovered', 15_000);
    expect(store.failed).toBe(2);
    expect(errors.filter((c) => c === 'store.full')).toHaveLength(2);
    expect((await engine.show(receipt.messageId))?.status).toBe('processed');
  });
});
