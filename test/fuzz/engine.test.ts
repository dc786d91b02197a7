// The engine against `selftest`, a fake decoder that misbehaves on cue: the oracle must report a
// non-LoomError throw and a LoomError without a location, the watchdog must catch an endless loop,
// save each input, replace the worker and go on fuzzing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFuzz } from './engine.js';

const dir = mkdtempSync(path.join(tmpdir(), 'loom-fuzz-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('fuzz engine', () => {
  it('reports crashes, LoomErrors without a location and hangs, saving each input, and keeps going', async () => {
    const run = await runFuzz({ target: 'selftest', seeds: [bytes('ok'), bytes('|x'), bytes('BOOM'), bytes('NOLOC'), bytes('HANG')], inputs: 300, timeoutMs: 300, artifactsDir: dir });
    const byKind = run.findings.map((f) => `${f.kind} ${f.step}`).sort();
    expect(byKind).toEqual(['crash boom', 'crash noloc', 'hang (whole input)']);
    const hang = run.findings.find((f) => f.kind === 'hang');
    expect(Buffer.from(readFileSync(hang?.file ?? '')).toString()).toBe('HANG');
    const boom = run.findings.find((f) => f.step === 'boom');
    expect(readFileSync(boom?.file ?? '').toString()).toContain('BOOM');
    expect(readFileSync((boom?.file ?? '').replace(/\.bin$/, '.txt'), 'utf8')).toMatch(/TypeError: boom[\s\S]*at /);
    expect(run.findings.find((f) => f.step === 'noloc')?.message).toContain('without a location');
    expect(run.restarts).toBe(1); // the hung seed is not given to the replacement worker
    expect(run.inputs).toBe(300);
    expect(run.rejected).toBeGreaterThan(0); // "|x" and its mutations: a located LoomError is not a finding
  }, 30_000);

  it('with no input budget runs the seeds only', async () => {
    const run = await runFuzz({ target: 'udi', seeds: [bytes('(01)00884838094581(17)251231')], inputs: 0, artifactsDir: dir });
    expect(run.inputs).toBe(0);
    expect(run.seedBlocks).toBeGreaterThan(0);
    expect(run.findings).toEqual([]);
  }, 30_000);
});
