import { createHash } from 'node:crypto';
import { type Context, ROOT_CONTEXT, type Span, type SpanOptions, SpanKind, SpanStatusCode, type Tracer, context, trace } from '@opentelemetry/api';

/**
 * Traces with `@opentelemetry/api`: spans are no-ops until an SDK registers a tracer provider
 * (Loom registers one when `observability.tracing.otlp` is configured, see ./otlp.ts and
 * docs/observability.md). The W3C `traceparent` header is written and read here by hand, so
 * trace ids propagate across Loom hops even without an SDK.
 *
 * One trace per message: its trace id is the inbound `traceparent`'s when the sender sent one,
 * else derived from the message id (`messageTraceId`), both for the exported spans and for the
 * `traceparent` Loom sends downstream.
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
 * The trace id of a message that arrived without a `traceparent`: the first 16 bytes of
 * sha-256(message id), so every redelivery and every span of that message share it.
 *
 * @example messageTraceId('01J…') // '9f2c…' (32 hex digits, never all zero)
 */
export function messageTraceId(messageId: string): string {
  const traceId = createHash('sha256').update(messageId).digest('hex').slice(0, 32);
  return traceId === ZERO_TRACE ? `${traceId.slice(0, 31)}1` : traceId; // §3.2.2.3: all-zero is invalid
}

/**
 * Trace headers for one outbound hop: a child of the inbound `traceparent` (same trace id, new
 * span id, `tracestate` kept), else a trace id derived from the message id (`messageTraceId`).
 *
 * @example outboundTraceHeaders(request.headers, request.messageId) // { traceparent: '00-<trace>-<span>-01' }
 */
export function outboundTraceHeaders(headers: Readonly<Record<string, string | undefined>>, messageId: string): { traceparent: string; tracestate?: string } {
  const parent = parseTraceparent(headers.traceparent);
  if (parent) {
    const traceparent = formatTraceparent({ traceId: parent.traceId, spanId: randomHex(8), sampled: parent.sampled });
    return headers.tracestate ? { traceparent, tracestate: headers.tracestate } : { traceparent };
  }
  return { traceparent: formatTraceparent({ traceId: messageTraceId(messageId), spanId: randomHex(8), sampled: true }) };
}

// The trace id the next root span must get. An SDK picks root trace ids in its IdGenerator with
// no say for the caller, so Loom's generator (`loomIdGenerator`) takes it from here; startSpan is
// synchronous, so nothing else can start a span in between.
let traceIdHint: string | undefined;

/**
 * An SDK `IdGenerator` that gives root spans the trace id Loom asks for (`startRootSpan`) and
 * random ids otherwise. Register it with the tracer provider (./otlp.ts does).
 *
 * @example new BasicTracerProvider({ idGenerator: loomIdGenerator, spanProcessors: [...] })
 */
export const loomIdGenerator = {
  generateTraceId(): string {
    const id = traceIdHint ?? randomHex(16);
    traceIdHint = undefined;
    return id;
  },
  generateSpanId(): string {
    return randomHex(8);
  },
};

/**
 * Start a root span with the given trace id (honoured by `loomIdGenerator`; another SDK's
 * generator picks its own).
 */
export function startRootSpan(tracer: Tracer, name: string, options: SpanOptions, traceId: string): Span {
  traceIdHint = traceId;
  try {
    return tracer.startSpan(name, { ...options, root: true }, ROOT_CONTEXT);
  } finally {
    traceIdHint = undefined;
  }
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
