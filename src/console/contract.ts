/**
 * The `/api/v1` contract the console relies on, as TypeScript types, used by the SPA's client
 * (web/api.ts) and kept outside web/ so the Node build never emits into the SPA's output
 * folder. The browser tests (test/e2e/console-e2e.test.ts) run it against a real Loom. A contract change is an edit here plus web/api.ts.
 */

export type ChannelStatus = 'running' | 'paused';
/** `unknown` when the engine does not report a circuit for the destination. */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'unknown';

export interface ChannelCounts {
  received: number;
  processed: number;
  rejected: number;
  duplicate: number;
  failed: number;
  deadLettered: number;
}

export interface Destination {
  name: string;
  kind: string;
  circuit: CircuitState;
  /** Outbox counts; undefined when the engine does not report them (shown as "—", never 0). */
  pending?: number;
  delivered?: number;
  dead?: number;
}

export interface Channel {
  name: string;
  status: ChannelStatus;
  sourceSystem: string;
  inbound: { kind: string; address: string };
  counts: ChannelCounts;
  destinations: Destination[];
}

export interface MessageSummary {
  id: string;
  channel: string;
  status: string;
  receivedAt: string;
  contentType: string;
  controlId?: string;
  sourceSystem?: string;
  correlationId?: string;
  keys: Record<string, string>;
  messageType?: string;
  /** Why a rejected or failed message stopped, when the engine says. */
  error?: string;
}

export interface MessageDetail extends MessageSummary {
  causationId?: string;
  headers: Record<string, string>;
  payloadText: string;
}

export interface Step {
  name: string;
  status: string;
  startedAt: string;
  durationMs: number;
  error?: string;
}

export interface Delivery {
  destination: string;
  status: string;
  attempts: number;
  lastError?: string;
  deliveredAt?: string;
}

export interface LineageLink {
  id: string;
  relation: 'caused-by' | 'caused';
  channel?: string;
}

export interface MessageView {
  message: MessageDetail;
  steps: Step[];
  deliveries: Delivery[];
  lineage: LineageLink[];
}

export interface DeadLetter {
  id: string;
  messageId: string;
  channel: string;
  destination: string;
  code: string;
  reason: string;
  createdAt: string;
  /** Put back on its outbox at this time; the row stays listed as history. */
  replayedAt?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface ThroughputBucket {
  t: string;
  received: number;
  delivered: number;
  failed: number;
  /** Receipt → delivered latency, ms (histogram bin upper bound); null when nothing was delivered. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface Throughput {
  bucketSeconds: number;
  buckets: ThroughputBucket[];
}

/** One alert firing now (`GET /api/v1/alerts` → firing). */
export interface Alert {
  name: string;
  kind: string;
  severity: string;
  state: 'firing';
  since: string;
  message: string;
  value?: number;
  silencedUntil?: string;
}

/** A configured rule and its current state. */
export interface AlertRuleState {
  name: string;
  kind: string;
  severity?: string;
  state: 'firing' | 'ok';
  silencedUntil?: string;
  silenceReason?: string;
  note?: string;
  [key: string]: unknown;
}

export interface AlertHistoryEntry {
  at: string;
  name: string;
  event: 'firing' | 'resolved' | 'silenced' | 'notify-failed';
  severity?: string;
  message: string;
  notified?: boolean;
}

/** `GET /api/v1/alerts`. */
export interface AlertsView {
  rules: AlertRuleState[];
  firing: Alert[];
  history: AlertHistoryEntry[];
}

/** `GET /api/v1/slas` items. */
export interface Sla {
  name: string;
  description?: string;
  channel?: string;
  destination?: string;
  measure?: string;
  process?: string;
  withinMs: number;
  target: number;
  windowMs: number;
  total: number;
  met: number;
  percentMet: number | null;
  ok: boolean | null;
  worstMs: number | null;
  /** Percent met per hour over the last 24 h, oldest first; null for hours without samples. */
  trend: SlaTrendPoint[];
}

export interface SlaTrendPoint {
  t: string;
  total: number;
  percentMet: number | null;
}

export interface MessageQuery {
  q?: string;
  channel?: string;
  status?: string;
  from?: string;
  to?: string;
  correlationId?: string;
  limit?: number;
  cursor?: string;
}

/** Lifecycle of a durable process instance (src/processes/kernel/types.ts). */
export type ProcessStatus = 'open' | 'waiting' | 'completed' | 'exception';
export const PROCESS_STATUSES: readonly ProcessStatus[] = ['open', 'waiting', 'completed', 'exception'];

/** One effect a process step emitted toward another system. */
export interface ProcessEffect {
  kind: string;
  key: string;
  destination: string;
  payload: unknown;
}

/** One applied event in an instance's timeline; `appliedAt` is epoch ms. */
export interface ProcessTimelineEntry {
  eventId: string;
  eventType: string;
  occurredAt: string;
  appliedAt: number;
  status: ProcessStatus;
  waitingFor?: string;
  effects: ProcessEffect[];
  source?: string;
}

/** A process instance as `GET /api/v1/processes` lists it; times are epoch ms. */
export interface ProcessInstance {
  id: string;
  process: string;
  key: string;
  status: ProcessStatus;
  /** Why it waits, or the exception reason. */
  waitingFor?: string;
  dueAt?: string;
  state: unknown;
  createdAt: number;
  updatedAt: number;
  version: number;
}

/** `GET /api/v1/processes/{id}`. */
export interface ProcessDetail extends ProcessInstance {
  timeline: ProcessTimelineEntry[];
}

export interface ProcessQuery {
  process?: string;
  status?: ProcessStatus;
  key?: string;
  limit?: number;
  cursor?: string;
}

/** A page of instances plus counts by status (for the process filter, or all processes). */
export interface ProcessPage {
  items: ProcessInstance[];
  nextCursor?: string;
  counts: Partial<Record<ProcessStatus, number>>;
}
