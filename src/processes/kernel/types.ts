import type { CanonicalEvent } from '../../canonical/index.js';

/** Lifecycle of a process instance. `waiting` names its cause in `waitingFor`. */
export type ProcessStatus = 'open' | 'waiting' | 'completed' | 'exception';
export const processStatuses: readonly ProcessStatus[] = ['open', 'waiting', 'completed', 'exception'];

/** The synthetic event `sweep(now)` applies to an instance whose `dueAt` has passed. */
export interface TimerEvent {
  id: string;
  type: 'process.timer';
  occurredAt: string;
  correlation: Record<string, string>;
  data: { dueAt: string };
}

/** What a process consumes: canonical events plus its own timers. */
export type ProcessEvent = CanonicalEvent | TimerEvent;

/**
 * One effect on another system. `key` is deterministic (a business key, never a random id), so a
 * re-emitted effect carries the same key and an idempotent receiver ignores it.
 * `feed: true` also applies `payload` (a canonical event) to the other processes, in the same commit.
 */
export interface Effect {
  kind: string;
  key: string;
  /** Logical destination (`charge`, `erp`, `inventory`, `procurement`); the process step maps it to a channel destination. */
  destination: string;
  payload: unknown;
  feed?: boolean;
}

/** What a pure `apply` answers. */
export interface ApplyResult<S> {
  state: S;
  effects: Effect[];
  status: ProcessStatus;
  /** Why the instance waits (`waiting for consumption event`) or the exception reason. */
  waitingFor?: string;
  /** ISO instant when `sweep` should apply a timer event; absent clears the timer. */
  dueAt?: string;
}

/** A ProcessManager definition (EIP). `apply` must be pure: same state + event → same result. */
export interface ProcessDefinition<S = unknown> {
  name: string;
  /** The instance key an event belongs to, or undefined when this process ignores it. */
  correlate(event: ProcessEvent): string | undefined;
  initial(): S;
  apply(state: S, event: ProcessEvent): ApplyResult<S>;
}

/** One applied event in an instance's timeline, with the effects it produced. */
export interface TimelineEntry {
  eventId: string;
  eventType: string;
  occurredAt: string;
  /** Epoch ms when the kernel applied it. */
  appliedAt: number;
  status: ProcessStatus;
  waitingFor?: string;
  effects: Effect[];
  /** The delivery that applied it (engine message id): only the same delivery gets the effects re-emitted. */
  source?: string;
}

/** A durable process instance. `id` = `<process>/<key>`. */
export interface ProcessInstance<S = unknown> {
  id: string;
  process: string;
  key: string;
  status: ProcessStatus;
  waitingFor?: string;
  dueAt?: string;
  state: S;
  createdAt: number;
  updatedAt: number;
  /** Applied events, 0-based; the next entry gets this index. */
  version: number;
}

export interface InstanceDetail<S = unknown> extends ProcessInstance<S> {
  timeline: TimelineEntry[];
}

export interface InstanceQuery {
  process?: string;
  status?: ProcessStatus;
  /** Exact instance key, or a prefix when it ends with `*`. */
  key?: string;
  limit?: number;
  /** Opaque: the `nextCursor` of the previous page. */
  cursor?: string;
}

export interface InstancePage<S = unknown> {
  items: ProcessInstance<S>[];
  nextCursor?: string;
}

/** Instance id of a process key. */
export function instanceId(process: string, key: string): string {
  return `${process}/${key}`;
}
