import { EventEmitter } from 'node:events';
import type { LoomError } from '../kernel/index.js';

export interface DeliveryInfo {
  channel: string;
  destination: string;
  messageId: string;
  outboxId: string;
  attempt: number;
  durationMs: number;
  /** The message's W3C trace context (inbound, or its parent's for split children), when it has one. */
  traceparent?: string;
  /** When the message was received (epoch ms; a split child: when it was split off), for receipt → delivered latency. */
  receivedAt?: number;
}

/** Metric hooks: observability attaches listeners; the engine has no metrics dependency. */
export interface EngineEventMap {
  /** `traceparent`: the sender's W3C trace context, when it sent a valid one (message spans join that trace). */
  received: [{ channel: string; messageId: string; bytes: number; traceparent?: string }];
  acked: [{ channel: string; messageId: string; outcome: 'accepted' | 'duplicate' | 'rejected'; latencyMs: number }];
  rejected: [{ channel: string; messageId: string; errors: unknown[] }];
  duplicate: [{ channel: string; messageId: string; duplicateOf?: string }];
  processed: [{ channel: string; messageId: string; status: 'processed' | 'failed'; error?: string }];
  /** One step of one message; `traceparent` as on `received` (resumed and split messages have no `received`). */
  step: [{ channel: string; messageId: string; step: string; durationMs: number; status: string; traceparent?: string }];
  delivered: [DeliveryInfo];
  retried: [DeliveryInfo & { error: LoomError }];
  deadLettered: [DeliveryInfo & { deadLetterId: string; error: LoomError }];
  parked: [DeliveryInfo & { orderingKey: string; error: LoomError }];
  breakerOpened: [{ channel: string; destination: string }];
  breakerClosed: [{ channel: string; destination: string }];
  error: [LoomError];
}

/** Typed EventEmitter of engine events. `error` events never throw when nobody listens. */
export class EngineEvents extends EventEmitter<EngineEventMap> {
  override emit<K extends keyof EngineEventMap>(event: K, ...args: EngineEventMap[K]): boolean {
    if (event === 'error' && this.listenerCount('error') === 0) return false;
    return super.emit(event as keyof EngineEventMap, ...(args as never));
  }
}
