// The fuzz loop, one worker thread per target: mutate a corpus entry, run it under the oracle, read
// V8 block coverage through an inspector session on this thread, keep inputs that reach new
// (block, hit-count bucket) features. Coverage is read per batch (a take costs ~0.3-0.5 ms whatever
// ran); a batch with anything new is replayed input by input to find which inputs to keep.
// First calls that initialise a cache run once, in the batch, and are not seen again on replay:
// their blocks count as covered but no input is kept for them.
import { Session } from 'node:inspector';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { CoverageMap, type ScriptCoverage } from './coverage.js';
import { runInput, type Outcome } from './harness.js';
import { mutate, Rng } from './mutate.js';
import { DICTIONARIES, type HarnessName } from './targets.js';
import { INPUT_OFFSET, SLOT, type FromWorker, type WorkerOptions } from './protocol.js';

const options = workerData as WorkerOptions;
const port = parentPort;
if (!port) throw new Error('test/fuzz/worker.ts runs as a worker thread');
const target: HarnessName = options.target;
const codecsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'codecs') + path.sep;

/** src/codecs/** scripts only (tsx adds a ?tsx-namespace query to the URL). */
function scriptName(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const file = fileURLToPath(url.split('?')[0]);
  return file.startsWith(codecsDir) ? file.slice(codecsDir.length) : undefined;
}

const session = new Session();
session.connect();
/** The session of the thread's own isolate answers synchronously. */
function post<T>(method: string, params?: object): T {
  let result: unknown;
  let failure: unknown;
  let answered = false;
  session.post(method, params, (error, value) => {
    failure = error;
    result = value;
    answered = true;
  });
  if (!answered) throw new Error(`inspector ${method} did not answer synchronously`);
  if (failure) throw failure;
  return result as T;
}
post('Profiler.enable');
post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
const take = (): ScriptCoverage[] => post<{ result: ScriptCoverage[] }>('Profiler.takePreciseCoverage').result;

const shared = new Int32Array(options.shared, 0, INPUT_OFFSET / 4);
const sharedBytes = new Uint8Array(options.shared, INPUT_OFFSET);
const send = (m: FromWorker): void => port.postMessage(m);

const stats = { execs: 0, replays: 0, accepted: 0, rejected: 0, codes: {} as Record<string, number>, slowestMs: 0 };
const findingSignatures = new Set<string>();

/** Run one input with the watchdog slot set; record rejections and findings. */
function execute(input: Uint8Array, record: boolean): Outcome {
  const len = Math.min(input.length, sharedBytes.length);
  sharedBytes.set(input.subarray(0, len));
  Atomics.store(shared, SLOT.length, len);
  Atomics.add(shared, SLOT.seq, 1);
  Atomics.store(shared, SLOT.busy, 1);
  const t0 = performance.now();
  const outcome = runInput(target, input);
  const ms = performance.now() - t0;
  Atomics.store(shared, SLOT.busy, 0);
  if (!record) return outcome;
  stats.slowestMs = Math.max(stats.slowestMs, ms);
  if (outcome.rejected.length > 0) stats.rejected++;
  else stats.accepted++;
  for (const code of outcome.rejected) stats.codes[code] = (stats.codes[code] ?? 0) + 1;
  if (outcome.finding) {
    // one report per kind of failure: same step, same message shape, same throwing frame
    const frame = outcome.finding.stack.split('\n').find((l) => l.trim().startsWith('at ')) ?? '';
    const sig = `${outcome.finding.step}|${outcome.finding.message.replace(/\d+/g, 'N')}|${frame}`;
    if (!findingSignatures.has(sig)) {
      findingSignatures.add(sig);
      send({ type: 'finding', kind: 'crash', input, ...outcome.finding });
    }
  }
  if (ms > options.timeoutMs) send({ type: 'finding', kind: 'hang', input, step: '(whole input)', message: `took ${ms.toFixed(0)} ms (> ${options.timeoutMs} ms)`, stack: '' });
  return outcome;
}

const map = new CoverageMap(scriptName);
const corpus: Uint8Array[] = [];
take(); // reset the counts of module loading

for (const seed of options.seeds) {
  execute(seed, true);
  map.commit(map.features(take()));
  corpus.push(seed);
}
if (corpus.length === 0) corpus.push(new Uint8Array(0));
const seedBlocks = map.blocks;
send({ type: 'ready', blocks: seedBlocks, features: map.featureCount, corpus: corpus.length });

const rng = new Rng(options.rngSeed);
const dict = DICTIONARIES[target];
const started = performance.now();
let lastReport = started;
let added = 0;
const deadline = started + options.seconds * 1000;

while (stats.execs < options.inputs && performance.now() < deadline) {
  const batch: Uint8Array[] = [];
  const size = Math.min(options.batch, options.inputs - stats.execs);
  for (let i = 0; i < size; i++) {
    const parent = corpus.length > 8 && rng.chance(0.3) ? corpus[corpus.length - 1 - rng.below(8)] : rng.pick(corpus);
    const input = mutate(parent, rng, dict, corpus, options.maxLength);
    execute(input, true);
    batch.push(input);
  }
  stats.execs += batch.length;
  const batchFeatures = map.features(take());
  if (options.feedback && map.isNovel(batchFeatures)) {
    // replay one by one: which inputs bring the new features? Stop once the batch holds nothing
    // new (a feature of summed counts that no single input shows keeps the replay going to the end)
    for (const input of batch) {
      if (!map.isNovel(batchFeatures)) break;
      execute(input, false);
      stats.replays++;
      const features = map.features(take());
      if (map.isNovel(features)) {
        map.commit(features);
        corpus.push(input);
        added++;
        send({ type: 'corpus', input });
      }
    }
  }
  map.commit(batchFeatures);
  const now = performance.now();
  if (now - lastReport >= options.progressMs) {
    lastReport = now;
    send({ type: 'progress', execs: stats.execs, corpus: corpus.length, blocks: map.blocks, features: map.featureCount });
  }
}

send({
  type: 'done',
  stats: { ...stats, seconds: (performance.now() - started) / 1000, seedBlocks, blocks: map.blocks, features: map.featureCount, knownBlocks: map.knownBlocks, corpus: corpus.length, added },
});
post('Profiler.stopPreciseCoverage');
session.disconnect();
