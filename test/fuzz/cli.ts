// `npm run fuzz -- [--target hl7|x12|udi|mllp] [--inputs N] [--seconds S] [--batch B] [--seed N] [--no-corpus] [--no-feedback]`
// Coverage-guided fuzzing of the wire decoders, one target at a time; prints progress and a summary.
// --no-feedback is the blind control: same mutations of the seeds, nothing kept.
// Findings (a throw that is not a LoomError with a location, or an input past the time limit) are
// saved under test-artifacts/fuzz/<target>/; the exit code is 1 when there are any.
import { parseArgs } from 'node:util';
import { runFuzz, type FuzzSummary } from './engine.js';
import { loadSeeds } from './seeds.js';
import { isTarget, TARGETS, type TargetName } from './targets.js';

const { values } = parseArgs({
  options: {
    target: { type: 'string', multiple: true },
    inputs: { type: 'string' },
    seconds: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    'timeout-ms': { type: 'string' },
    'no-corpus': { type: 'boolean' },
    'no-feedback': { type: 'boolean' },
  },
});
const targets: TargetName[] = [];
for (const t of values.target ?? TARGETS) {
  if (!isTarget(t)) throw new Error(`unknown target "${t}": use one of ${TARGETS.join(', ')}`);
  targets.push(t);
}
const num = (v: string | undefined, dflt: number | undefined): number | undefined => (v === undefined ? dflt : Number(v));
const inputs = num(values.inputs, values.seconds === undefined ? 100_000 : undefined);

function print(s: FuzzSummary): void {
  const top = Object.entries(s.codes).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([c, n]) => `${c} ${n}`).join(', ');
  console.log([
    `\n[fuzz] ${s.target}: ${s.inputs} inputs in ${s.seconds.toFixed(1)} s (${s.inputsPerSecond.toFixed(0)} inputs/s)`,
    `  blocks covered    seeds ${s.seedBlocks} -> end ${s.blocks} (+${s.blocks - s.seedBlocks}); features ${s.features}`,
    `  corpus            ${s.seeds} seeds + ${s.added} found = ${s.corpus}`,
    `  outcomes          ${s.accepted} accepted, ${s.rejected} rejected with a located LoomError; slowest ${s.slowestMs.toFixed(1)} ms`,
    `  top codes         ${top || '(none)'}`,
    `  findings          ${s.findings.length}${s.findings.map((f) => `\n    ${f.kind} ${f.step}: ${f.message}\n      ${f.file}`).join('')}`,
    `  replays           ${s.replays} (inputs re-run alone after a batch showed new coverage)`,
    `  worker restarts   ${s.restarts}`,
  ].join('\n'));
}

let failed = false;
for (const target of targets) {
  const seeds = loadSeeds(target, { corpus: !values['no-corpus'] });
  const summary = await runFuzz({
    target, seeds, inputs, seconds: num(values.seconds, undefined), batch: num(values.batch, undefined),
    rngSeed: num(values.seed, undefined), timeoutMs: num(values['timeout-ms'], undefined), feedback: !values['no-feedback'],
    onProgress: (p) => console.log(`[fuzz] ${p.target} ${p.execs} inputs ${(p.execs / Math.max(p.seconds, 0.001)).toFixed(0)}/s corpus ${p.corpus} blocks ${p.blocks} features ${p.features} (${p.seconds.toFixed(0)} s)`),
  });
  print(summary);
  if (summary.findings.length > 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
