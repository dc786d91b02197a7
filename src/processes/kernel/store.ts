import type { InstanceDetail, InstancePage, InstanceQuery, ProcessInstance, ProcessStatus, TimelineEntry } from './types.js';

/** Writes and reads inside one atomic unit: all of them commit together or none does. */
export interface ProcessTx {
  find(id: string): Promise<ProcessInstance | undefined>;
  /** The timeline entry of `eventId` in instance `id`, if that event was applied. */
  applied(id: string, eventId: string): Promise<TimelineEntry | undefined>;
  /** Insert or update the instance row and append its timeline entry. */
  record(instance: ProcessInstance, entry: TimelineEntry): Promise<void>;
  /** Record an SLA sample once per (process, key, measure); a repeat is ignored. True when it was new. */
  addSample(sample: SlaSample): Promise<boolean>;
}

/** How many instances of `process` in `status` wait with the same `waitingFor` text. */
export interface WaitingCount {
  process: string;
  status: ProcessStatus;
  waitingFor: string;
  count: number;
}

/** A discharge-to-charge (or other) SLA sample the observability layer reads. */
export interface SlaSample {
  process: string;
  key: string;
  measure: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
}

/**
 * The ProcessStore port: durable instances, their applied event ids, timelines and effects.
 * Async so a PostgreSQL adapter can implement it; `transaction` serializes writers.
 *
 * @example
 * await store.transaction(async (tx) => tx.record(instance, entry));
 */
export interface ProcessStore {
  readonly kind: string;
  migrate(): Promise<string[]>;
  transaction<T>(fn: (tx: ProcessTx) => Promise<T>): Promise<T>;
  get(id: string): Promise<InstanceDetail | undefined>;
  list(query: InstanceQuery): Promise<InstancePage>;
  countByStatus(process?: string): Promise<Record<ProcessStatus, number>>;
  /** Instances per process, status and wait text (instances without a wait text are left out). */
  countWaiting(): Promise<WaitingCount[]>;
  /** Instances whose timer is due at or before `nowIso`, oldest due first. */
  listDue(nowIso: string, limit: number): Promise<ProcessInstance[]>;
  slaSamples(query?: { process?: string; measure?: string; limit?: number }): Promise<SlaSample[]>;
  close(): Promise<void>;
}

/** Shared cursor helpers: a cursor is the last id of the page, base64url. */
export const cursor = {
  encode: (id: string): string => Buffer.from(id, 'utf8').toString('base64url'),
  decode: (c: string | undefined): string | undefined => (c ? Buffer.from(c, 'base64url').toString('utf8') : undefined),
};

export function emptyCounts(): Record<ProcessStatus, number> {
  return { open: 0, waiting: 0, completed: 0, exception: 0 };
}
