// Main-thread side of the coverage-guided fuzzer: starts the worker for a target, watches it (an
// input that runs past the time limit is saved as a hang and the worker is replaced, keeping the
// corpus found so far), saves findings under test-artifacts/fuzz/<target>/ and sums up the run.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { repoRoot } from '../support/corpus.js';
import { INPUT_OFFSET, SLOT, type FromWorker, type WorkerOptions, type WorkerStats } from './protocol.js';
import type { HarnessName } from './targets.js';

export interface FuzzOptions {
  target: HarnessName;
  seeds: Uint8Array[];
  /** Stop after this many generated inputs ... */
  inputs?: number;
  /** ... or after this many seconds, whichever comes first. */
  seconds?: number;
  /** Inputs per coverage read (1 = exact per-input coverage). */
  batch?: number;
  maxLength?: number;
  timeoutMs?: number;
  rngSeed?: number;
  /** Where findings go; default test-artifacts/fuzz. */
  artifactsDir?: string;
  onProgress?: (p: { target: HarnessName; execs: number; seconds: number; corpus: number; blocks: number; features: number }) => void;
  progressMs?: number;
  /** false: blind control (same mutations, corpus never grows), to measure what the feedback buys. */
  feedback?: boolean;
}

export interface SavedFinding { kind: 'crash' | 'hang'; step: string; message: string; file: string; input: Uint8Array }

export interface FuzzSummary {
  target: HarnessName;
  inputs: number;
  seconds: number;
  inputsPerSecond: number;
  seeds: number;
  seedBlocks: number;
  blocks: number;
  features: number;
  corpus: number;
  /** Inputs kept for new coverage. */
  added: number;
  /** The inputs kept, for replay. */
  addedInputs: Uint8Array[];
  accepted: number;
  rejected: number;
  codes: Record<string, number>;
  slowestMs: number;
  /** Inputs run again alone to find which one of a batch brought new coverage. */
  replays: number;
  restarts: number;
  findings: SavedFinding[];
}

const require = createRequire(import.meta.url);

/** A worker running test/fuzz/worker.ts through tsx (worker threads do not inherit --import hooks). */
function spawn(options: WorkerOptions): Worker {
  const api = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = pathToFileURL(path.join(repoRoot, 'test', 'fuzz', 'worker.ts')).href;
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return new Worker(code, { eval: true, workerData: options, resourceLimits: { maxOldGenerationSizeMb: 512 } });
}

function save(dir: string, kind: 'crash' | 'hang', input: Uint8Array, text: string): string {
  mkdirSync(dir, { recursive: true });
  const name = `${kind}-${createHash('sha1').update(input).digest('hex').slice(0, 12)}`;
  writeFileSync(path.join(dir, `${name}.bin`), input);
  writeFileSync(path.join(dir, `${name}.txt`), text);
  return path.join(dir, `${name}.bin`);
}

/** Fuzz one target until the input or time budget is spent. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const inputs = options.inputs ?? Number.MAX_SAFE_INTEGER;
  const seconds = options.seconds ?? Number.MAX_SAFE_INTEGER;
  const timeoutMs = options.timeoutMs ?? 1000;
  const dir = path.join(options.artifactsDir ?? path.join(repoRoot, 'test-artifacts', 'fuzz'), options.target);
  const findings: SavedFinding[] = [];
  const addedInputs: Uint8Array[] = [];
  const totals = { execs: 0, workerSeconds: 0, replays: 0, accepted: 0, rejected: 0, slowestMs: 0, codes: {} as Record<string, number> };
  let seedBlocks = -1;
  let last: WorkerStats | undefined;
  let restarts = 0;
  let startError: Error | undefined;
  const t0 = performance.now();

  const signatures = new Set<string>();
  const hung = new Set<string>();
  const key = (input: Uint8Array): string => Buffer.from(input).toString('base64');
  const record = (kind: 'crash' | 'hang', input: Uint8Array, step: string, message: string, stack: string): void => {
    if (kind === 'hang') hung.add(key(input));
    // a replacement worker runs the seeds again: report each kind of failure once
    const signature = `${kind}|${step}|${message.replace(/\d+/g, 'N')}|${stack.split('\n').find((l) => l.trim().startsWith('at ')) ?? ''}`;
    if (signatures.has(signature)) return;
    signatures.add(signature);
    const file = save(dir, kind, input, `${kind} in ${options.target} ${step}: ${message}\n\n${stack}\n`);
    findings.push({ kind, step, message, file, input });
  };

  // one worker, replaced after a hang or a death (keeping the corpus) while budget is left; the
  // first always starts, so `inputs: 0` measures the coverage of the seeds alone
  while (true) {
    const elapsed = (performance.now() - t0) / 1000;
    if (restarts > 0 && (totals.execs >= inputs || elapsed >= seconds)) break;
    const shared = new SharedArrayBuffer(INPUT_OFFSET + 1024 * 1024);
    const header = new Int32Array(shared, 0, INPUT_OFFSET / 4);
    const worker = spawn({
      target: options.target,
      seeds: [...options.seeds, ...addedInputs].filter((s) => !hung.has(key(s))), // a hung seed would hang the next worker too
      inputs: inputs - totals.execs,
      seconds: Math.max(0, seconds - elapsed),
      batch: options.batch ?? 16,
      maxLength: options.maxLength ?? 8192,
      timeoutMs,
      rngSeed: (options.rngSeed ?? 1) + restarts * 7919,
      progressMs: options.progressMs ?? 1000,
      feedback: options.feedback ?? true,
      shared,
    });
    let workerExecs = 0;
    let ready = false;
    const outcome = await new Promise<'done' | 'hang' | 'died'>((resolve) => {
      let lastSeq = -1;
      let since = performance.now();
      let settled = false;
      const finish = (how: 'done' | 'hang' | 'died'): void => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        resolve(how);
      };
      const current = (): Uint8Array => new Uint8Array(shared, INPUT_OFFSET, Atomics.load(header, SLOT.length)).slice();
      const watchdog = setInterval(() => {
        const seq = Atomics.load(header, SLOT.seq);
        if (seq !== lastSeq) {
          lastSeq = seq;
          since = performance.now();
        } else if (Atomics.load(header, SLOT.busy) === 1 && performance.now() - since > timeoutMs) {
          record('hang', current(), '(whole input)', `no answer for ${timeoutMs} ms: worker terminated`, '');
          finish('hang');
          void worker.terminate();
        }
      }, Math.max(20, Math.min(200, timeoutMs / 5)));
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          ready = true;
          if (seedBlocks < 0) seedBlocks = m.blocks;
        } else if (m.type === 'progress') {
          workerExecs = m.execs;
          options.onProgress?.({ target: options.target, execs: totals.execs + m.execs, seconds: (performance.now() - t0) / 1000, corpus: m.corpus, blocks: m.blocks, features: m.features });
        } else if (m.type === 'corpus') {
          addedInputs.push(m.input);
        } else if (m.type === 'finding') {
          record(m.kind, m.input, m.step, m.message, m.stack);
        } else if (m.type === 'done') {
          last = m.stats;
          workerExecs = m.stats.execs;
          totals.accepted += m.stats.accepted;
          totals.replays += m.stats.replays;
          totals.workerSeconds += m.stats.seconds;
          totals.rejected += m.stats.rejected;
          totals.slowestMs = Math.max(totals.slowestMs, m.stats.slowestMs);
          for (const [c, n] of Object.entries(m.stats.codes)) totals.codes[c] = (totals.codes[c] ?? 0) + n;
          finish('done');
        }
      });
      worker.on('error', (error) => {
        if (settled) return;
        if (!ready) startError = error;
        record('crash', current(), '(worker died)', error.message, error.stack ?? '');
        finish('died');
      });
      worker.on('exit', (code) => {
        if (!settled) record('crash', current(), '(worker exited)', `the worker exited with code ${code} during an input`, '');
        finish('died');
      });
    });
    totals.execs += workerExecs;
    if (startError) throw new Error(`the ${options.target} fuzz worker failed before it was ready: ${startError.message}`, { cause: startError });
    if (outcome === 'done') {
      await worker.terminate();
      break;
    }
    await worker.terminate();
    if (++restarts > 20) break;
  }

  const secondsTotal = (performance.now() - t0) / 1000;
  return {
    target: options.target,
    inputs: totals.execs,
    seconds: secondsTotal,
    inputsPerSecond: totals.execs / (totals.workerSeconds || secondsTotal),
    seeds: options.seeds.length,
    seedBlocks,
    blocks: last?.blocks ?? seedBlocks,
    features: last?.features ?? 0,
    corpus: last?.corpus ?? options.seeds.length + addedInputs.length,
    added: addedInputs.length,
    addedInputs,
    accepted: totals.accepted,
    rejected: totals.rejected,
    codes: totals.codes,
    slowestMs: totals.slowestMs,
    replays: totals.replays,
    restarts,
    findings,
  };
}
