/**
 * The `/api/v1` contract the console relies on, as TypeScript types. Shared by the SPA's client
 * (web/api.ts) and the API test double (api-double/), and kept outside web/ so the Node build
 * never emits into the SPA's output folder. A contract change is an edit here plus web/api.ts.
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
}

export interface Throughput {
  bucketSeconds: number;
  buckets: ThroughputBucket[];
}

/** Alerts are not in the contract yet: the console shows whatever list the endpoint returns. */
export interface Alert {
  id?: string;
  name?: string;
  severity?: string;
  state?: string;
  message?: string;
  since?: string;
  [key: string]: unknown;
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
