import { afterEach, describe, expect, it } from 'vitest';
import { generateDay, runSimulator, simulateOptionsFromFlags, startMllpSink, type RunningSimulator } from '../../src/simulators/index.js';

let sim: RunningSimulator | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { await sim?.stop(); sim = undefined; for (const c of cleanups.splice(0)) await c(); });

describe('runSimulator (loom simulate glue)', () => {
  it('parses flags into options and names the bad flag', () => {
    expect(simulateOptionsFromFlags({ target: 'mllp://127.0.0.1:2575', seed: '7', speed: '60', webhook: ['http://a', 'http://b'] }))
      .toEqual({ target: 'mllp://127.0.0.1:2575', seed: 7, speed: 60, webhooks: ['http://a', 'http://b'] });
    expect(() => simulateOptionsFromFlags({ seed: 'x' })).toThrow(/--seed/);
    expect(() => simulateOptionsFromFlags({ vendor: 'V9' })).toThrow(/--vendor/);
  });

  it('plays the EHR part of a seeded day to an MLLP target', async () => {
    const sink = await startMllpSink();
    cleanups.push(sink.stop);
    sim = await runSimulator('ehr', { target: sink.url, seed: 7, speed: Infinity, injectRate: 0 });
    await sim.done;
    const expected = generateDay({ seed: 7, injectRate: 0 }).timeline.filter((s) => s.kind === 'hl7').map((s) => s.controlId);
    expect(sink.received.map((t) => t.split('\r')[0].split('|')[9])).toEqual(expected);
  });

  it('starts an HTTP simulator on a free port and refuses unknown names and missing flags', async () => {
    sim = await runSimulator('erp', {});
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(sim.describe)?.[0];
    expect((await fetch(`${url}/api/resource/Item`)).status).toBe(401);
    await expect(runSimulator('lab', {})).rejects.toThrow(/unknown simulator/);
    await expect(runSimulator('ehr', {})).rejects.toThrow(/--target/);
  });
});
