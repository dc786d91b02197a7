import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadUserSteps, StepRegistry, type ChannelDefinition, type Engine } from '../../src/engine/index.js';
import { enc, ScriptedConnector, startEngine, tempDir, waitFor } from './engine-harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function stepSource(suffix: string): string {
  return `import type { StepContext } from '../../src/engine/types.js';
export default function (ctx: StepContext): { payload: string } {
  const n: number = ctx.text().length;
  ctx.setKey('mrn', 'M' + n);
  return { payload: ctx.text() + '${suffix}' };
}\n`;
}

describe('engine reload and user steps', () => {
  it('compiles TypeScript user steps with esbuild and picks up edits on reload', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const dir = path.join(t.dir, 'steps');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'tag.ts'), stepSource('-v1'));
    const registry = new StepRegistry();
    const loader = loadUserSteps(dir, registry);
    cleanups.push(() => loader.dispose());
    expect(await loader.load()).toEqual(['tag']);
    const out = new ScriptedConnector();
    const def: ChannelDefinition = { name: 'c', sourceSystem: 's', contentType: 'text/plain', steps: [{ use: 'tag' }], destinations: [{ name: 'd', connector: out }] };
    const engine = await startEngine([def], { steps: registry }, path.join(t.dir, 'data'));
    cleanups.push(() => engine.stop());
    await engine.receive({ channel: 'c', payload: enc('abc') });
    await waitFor(() => out.calls.length === 1, 'v1 delivery');
    writeFileSync(path.join(dir, 'tag.ts'), stepSource('-v2'));
    await loader.load();
    engine.applyChannels([{ ...def }]); // a reload recompiles the channel's steps
    await engine.receive({ channel: 'c', payload: enc('abcd') });
    await waitFor(() => out.calls.length === 2, 'v2 delivery');
    expect(out.delivered()).toEqual(['abc-v1', 'abcd-v2']);
    expect((await engine.search({ q: 'M4' })).items.length).toBe(1);
    writeFileSync(path.join(dir, 'tag.ts'), 'export default function (: broken');
    await expect(loader.load()).rejects.toMatchObject({ code: 'engine.user-step.compile' });
    expect(registry.has('tag')).toBe(true); // the previous version stays active
  });

  it('reloading 200 times keeps memory bounded', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeFileSync(path.join(t.dir, 'tag.ts'), stepSource('-x'));
    const registry = new StepRegistry();
    const loader = loadUserSteps(t.dir, registry);
    cleanups.push(() => loader.dispose());
    const gc = (globalThis as { gc?: () => void }).gc;
    const heap = () => (gc?.(), process.memoryUsage().heapUsed);
    for (let i = 0; i < 20; i++) await loader.load();
    const start = heap();
    for (let i = 0; i < 200; i++) await loader.load();
    const grown = heap() - start;
    // unchanged sources are imported once; a leak of one module per reload would be several MB
    expect(grown).toBeLessThan(gc ? 4 * 2 ** 20 : 16 * 2 ** 20);
    // edited sources each add one small module (ESM cannot unload): linear in edits, small per edit
    const before = heap();
    for (let i = 0; i < 200; i++) {
      writeFileSync(path.join(t.dir, 'tag.ts'), stepSource(`-edit${i}`));
      await loader.load();
    }
    expect(heap() - before).toBeLessThan(gc ? 8 * 2 ** 20 : 32 * 2 ** 20);
  }, 120_000);

  it('applyChannels adds, changes and removes channels without dropping in-flight messages', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const registry = new StepRegistry();
    registry.register('hold', () => async () => void (await gate));
    const out = new ScriptedConnector();
    const a: ChannelDefinition = { name: 'a', sourceSystem: 's', contentType: 'text/plain', steps: [{ use: 'hold' }], destinations: [{ name: 'd', connector: out }] };
    const t = tempDir();
    cleanups.push(t.cleanup);
    const engine: Engine = await startEngine([a], { steps: registry }, t.dir);
    cleanups.push(() => engine.stop(), () => release());
    await engine.receive({ channel: 'a', payload: enc('in flight') });
    const b: ChannelDefinition = { name: 'b', sourceSystem: 's', contentType: 'text/plain', destinations: [{ name: 'd', connector: out }] };
    expect(engine.applyChannels([{ ...a, steps: [] }, b])).toEqual({ added: ['b'], changed: ['a'], removed: [] });
    expect(() => engine.applyChannels([{ ...b, steps: [{ use: 'nope' }] }])).toThrow(/nope/);
    release();
    await waitFor(() => out.calls.length === 1, 'in-flight message delivered');
    expect(engine.applyChannels([b])).toEqual({ added: [], changed: [], removed: ['a'] });
    await expect(engine.receive({ channel: 'a', payload: enc('x') })).rejects.toMatchObject({ code: 'channel.unknown' });
  });
});
