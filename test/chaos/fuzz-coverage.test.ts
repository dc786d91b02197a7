// Coverage-guided fuzzing of the wire decoders (HL7 v2, X12, UDI, MLLP framing): the engine in
// test/fuzz reads V8 block coverage after each batch of mutated inputs and keeps the inputs that
// reach new blocks or hit-count buckets. No crash, no hang (1 s per input; a worker that stops
// answering is terminated), every rejection a LoomError with a location. A few seconds per target
// in the default run, 100k inputs per target with LOOM_CHAOS=long. `npm run fuzz` runs it by hand.
// Runbook exercised: docs/runbooks/vendor-bad-x12.md (a vendor's bad file must be a clear error)
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../fuzz/engine.js';
import { loadSeeds } from '../fuzz/seeds.js';
import { TARGETS } from '../fuzz/targets.js';
import { long, pick, report } from './support/mode.js';

const INPUTS = pick(Number.MAX_SAFE_INTEGER, 100_000);
const SECONDS = pick(4, 1_800);

describe('chaos: coverage-guided decoder fuzzing', () => {
  for (const target of TARGETS) {
    it(`${target}: ${long ? '100k inputs' : `${SECONDS} s`}, no finding, and the kept inputs reach code the seeds do not`, async () => {
      const seeds = loadSeeds(target);
      const run = await runFuzz({ target, seeds, inputs: INPUTS, seconds: SECONDS, rngSeed: 20_260_615 });
      // Replay in a fresh worker, without mutation: seeds alone, then seeds plus the inputs the
      // feedback loop kept. More blocks there means the loop kept inputs for real new coverage.
      const seedsOnly = await runFuzz({ target, seeds, inputs: 0 });
      const withKept = await runFuzz({ target, seeds: [...seeds, ...run.addedInputs], inputs: 0 });
      report(`fuzz-coverage ${target}`, {
        inputs: run.inputs,
        'inputs/s': run.inputsPerSecond.toFixed(0),
        'blocks: seeds -> end': `${run.seedBlocks} -> ${run.blocks}`,
        'replayed: seeds / + kept': `${seedsOnly.seedBlocks} / ${withKept.seedBlocks}`,
        'corpus: seeds + kept': `${run.seeds} + ${run.added}`,
        'accepted / rejected': `${run.accepted} / ${run.rejected}`,
        'slowest ms': run.slowestMs.toFixed(1),
        findings: run.findings.map((f) => `${f.kind} ${f.step}: ${f.message} (${f.file})`).join('; ') || 'none',
      });
      expect(run.findings.map((f) => `${f.kind} ${f.step}: ${f.message}`)).toEqual([]);
      if (long) expect(run.inputs).toBeGreaterThanOrEqual(100_000);
      expect(run.rejected).toBeGreaterThan(0); // error paths were reached and every one answered with a located LoomError
      expect(run.added).toBeGreaterThan(0);
      expect(run.blocks).toBeGreaterThan(run.seedBlocks);
      // the same inputs measure (nearly) the same way in another worker (V8 may tier a function differently)
      expect(Math.abs(seedsOnly.seedBlocks - run.seedBlocks)).toBeLessThanOrEqual(Math.ceil(run.seedBlocks * 0.02));
      expect(withKept.seedBlocks).toBeGreaterThan(seedsOnly.seedBlocks);
    }, pick(60_000, 2_400_000));
  }
});
