// Messages and shared memory between the fuzz engine (main thread) and its worker.
import type { HarnessName } from './targets.js';

export interface WorkerOptions {
  target: HarnessName;
  seeds: Uint8Array[];
  inputs: number;
  seconds: number;
  batch: number;
  maxLength: number;
  timeoutMs: number;
  rngSeed: number;
  progressMs: number;
  /** false: a blind control run; coverage is measured but the corpus never grows. */
  feedback: boolean;
  /** Watchdog slot: Int32 header (SLOT) then the input being run, so a hung input can be saved. */
  shared: SharedArrayBuffer;
}

/** Int32 indexes in the shared header. `seq` counts inputs started; `busy` is 1 while one runs. */
export const SLOT = { seq: 0, busy: 1, length: 2 } as const;
export const INPUT_OFFSET = 16;

export interface WorkerStats {
  execs: number;
  replays: number;
  accepted: number;
  rejected: number;
  codes: Record<string, number>;
  slowestMs: number;
  seconds: number;
  seedBlocks: number;
  blocks: number;
  features: number;
  knownBlocks: number;
  corpus: number;
  added: number;
}

export type FromWorker =
  | { type: 'ready'; blocks: number; features: number; corpus: number }
  | { type: 'progress'; execs: number; corpus: number; blocks: number; features: number }
  | { type: 'corpus'; input: Uint8Array }
  | { type: 'finding'; kind: 'crash' | 'hang'; input: Uint8Array; step: string; message: string; stack: string }
  | { type: 'done'; stats: WorkerStats };
