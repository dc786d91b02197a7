import { createHash } from 'node:crypto';
import { type Context, type Span, SpanKind, SpanStatusCode, type Tracer, context, trace } from '@opentelemetry/api';

/**
 * Traces with only `@opentelemetry/api`: spans are no-ops until an SDK registers a tracer
 * provider (OTLP export needs `@opentelemetry/sdk-trace-base` and an exporter; see
 * docs/observability.md). The W3C `traceparent` header is written and read here by hand, so
 * trace ids propagate across Loom hops even without an SDK.
 */

/** A parsed W3C trace context (https://www.w3.org/TR/trace-context/ §3.2). */
export interface TraceParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Parse a `traceparent` header; undefined when absent or invalid (the spec says: start a new trace).
 *
 * @example parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01') // { traceId: '4bf9…', spanId: '00f0…', sampled: true }
 */
export function parseTraceparent(header: string | null | undefined): TraceParent | undefined {
  if (!header) return undefined;
  const m = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m;
  // §3.2.2: version ff is invalid; version 00 allows nothing after the flags.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** Format a `traceparent` header (version 00). */
export function formatTraceparent(tp: TraceParent): string {
  return `00-${tp.traceId}-${tp.spanId}-${tp.sampled ? '01' : '00'}`;
}

function randomHex(bytes: number): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return Buffer.from(b).toString('hex');
}

/** A fresh trace context (sampled), for messages that arrive without one. */
export function newTraceparent(): TraceParent {
  return { traceId: randomHex(16), spanId: randomHex(8), sampled: true };
}

/**
 * Add a `traceparent` to outbound headers: the active span's context when an SDK records one,
 * else `parent` with a new span id (the hop keeps the trace id), else a new trace.
 *
 * @example const headers = injectTraceparent({ 'content-type': 'application/json' }, parseTraceparent(inbound['traceparent']));
 */
export function injectTraceparent(headers: Record<string, string>, parent?: TraceParent, ctx: Context = context.active()): Record<string, string> {
  const active = trace.getSpanContext(ctx);
  let tp: TraceParent;
  if (active && active.traceId !== ZERO_TRACE && active.spanId !== ZERO_SPAN) {
    tp = { traceId: active.traceId, spanId: active.spanId, sampled: (active.traceFlags & 1) === 1 };
  } else if (parent) {
    tp = { traceId: parent.traceId, spanId: randomHex(8), sampled: parent.sampled };
  } else {
    tp = newTraceparent();
  }
  headers.traceparent = formatTraceparent(tp);
  return headers;
}

/**
 * Trace headers for one outbound hop: a child of the inbound `traceparent` (same trace id, new
 * span id, `tracestate` kept), else a trace id derived from the message id (sha-256, so every
 * redelivery of that message carries the same trace id).
 *
 * @example outboundTraceHeaders(request.headers, request.messageId) // { traceparent: '00-<trace>-<span>-01' }
 */
export function outboundTraceHeaders(headers: Readonly<Record<string, string | undefined>>, messageId: string): { traceparent: string; tracestate?: string } {
  const parent = parseTraceparent(headers.traceparent);
  if (parent) {
    const traceparent = formatTraceparent({ traceId: parent.traceId, spanId: randomHex(8), sampled: parent.sampled });
    return headers.tracestate ? { traceparent, tracestate: headers.tracestate } : { traceparent };
  }
  let traceId = createHash('sha256').update(messageId).digest('hex').slice(0, 32);
  if (traceId === ZERO_TRACE) traceId = `${traceId.slice(0, 31)}1`; // §3.2.2.3: all-zero is invalid
  return { traceparent: formatTraceparent({ traceId, spanId: randomHex(8), sampled: true }) };
}

/** An OpenTelemetry context whose remote parent is `tp` (spans started in it join the caller's trace). */
export function contextFromTraceparent(tp: TraceParent | undefined, base: Context = context.active()): Context {
  if (!tp) return base;
  return trace.setSpanContext(base, { traceId: tp.traceId, spanId: tp.spanId, traceFlags: tp.sampled ? 1 : 0, isRemote: true });
}

/** Loom's tracer (no-op until an SDK is registered). */
export function loomTracer(): Tracer {
  return trace.getTracer('loom');
}

/** The engine events message spans follow, structurally (the engine's `EngineEvents` fits). */
export interface TraceEventSource {
  on(event: 'received', listener: (e: { channel: string; messageId: string; bytes: number }) => void): unknown;
  on(event: 'step', listener: (e: { channel: string; step: string; durationMs: number; status: string }) => void): unknown;
  on(event: 'processed', listener: (e: { channel: string; messageId: string; status: 'processed' | 'failed'; error?: string }) => void): unknown;
  on(event: 'delivered' | 'retried' | 'deadLettered' | 'parked', listener: (e: { channel: string; destination: string; messageId: string; attempt: number; durationMs: number }) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * Spans per message from engine events: `loom.message <channel>` from receipt to processing,
 * with `step` events as span events, and one `loom.deliver <destination>` span per attempt
 * (child of the message span while it is known). Bounded: at most `maxOpen` message spans are
 * tracked; older ones end early. Returns a detach function.
 *
 * @example const detach = traceEngine(engine.events);
 */
export function traceEngine(events: TraceEventSource, tracer: Tracer = loomTracer(), maxOpen = 10_000): () => void {
  const open = new Map<string, { span: Span; ctx: Context }>();
  // Steps carry no message id: attach them to the channel's newest open message span.
  const newestByChannel = new Map<string, string>();
  const handlers: Record<string, (e: never) => void> = {
    received: (e: { channel: string; messageId: string; bytes: number }) => {
      const span = tracer.startSpan(`loom.message ${e.channel}`, {
        kind: SpanKind.CONSUMER,
        attributes: { 'loom.channel': e.channel, 'loom.message_id': e.messageId, 'messaging.message.body.size': e.bytes },
      });
      open.set(e.messageId, { span, ctx: trace.setSpan(context.active(), span) });
      newestByChannel.set(e.channel, e.messageId);
      if (open.size > maxOpen) {
        const [oldestId, oldest] = open.entries().next().value as [string, { span: Span }];
        oldest.span.end();
        open.delete(oldestId);
      }
    },
    step: (e: { channel: string; step: string; durationMs: number; status: string }) => {
      const id = newestByChannel.get(e.channel);
      const m = id === undefined ? undefined : open.get(id);
      m?.span.addEvent(`step ${e.step}`, { 'loom.step': e.step, 'loom.step.status': e.status, 'loom.step.duration_ms': e.durationMs });
    },
    processed: (e: { messageId: string; status: string; error?: string }) => {
      const m = open.get(e.messageId);
      if (!m) return;
      if (e.status === 'failed') m.span.setStatus({ code: SpanStatusCode.ERROR, message: e.error ?? 'failed' });
      m.span.end();
      open.delete(e.messageId);
    },
  };
  const delivery = (outcome: string) => (e: { channel: string; destination: string; messageId: string; attempt: number; durationMs: number }) => {
    const end = Date.now();
    const parent = open.get(e.messageId)?.ctx ?? context.active();
    const span = tracer.startSpan(
      `loom.deliver ${e.destination}`,
      { kind: SpanKind.PRODUCER, startTime: end - e.durationMs, attributes: { 'loom.channel': e.channel, 'loom.destination': e.destination, 'loom.message_id': e.messageId, 'loom.attempt': e.attempt, 'loom.outcome': outcome } },
      parent,
    );
    if (outcome !== 'delivered') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    span.end(end);
  };
  for (const outcome of ['delivered', 'retried', 'deadLettered', 'parked']) handlers[outcome] = delivery(outcome) as (e: never) => void;
  const on = events.on.bind(events) as (e: string, l: (x: never) => void) => unknown;
  for (const [event, handler] of Object.entries(handlers)) on(event, handler);
  return () => {
    for (const [event, handler] of Object.entries(handlers)) events.off(event, handler as (...args: never[]) => void);
    for (const m of open.values()) m.span.end();
    open.clear();
  };
}
