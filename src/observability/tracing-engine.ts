import { type Attributes, type Context, ROOT_CONTEXT, type Span, type SpanOptions, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { contextFromTraceparent, loomTracer, messageTraceId, parseTraceparent, startRootSpan } from './tracing.js';

/** The engine events message spans follow, structurally (the engine's `EngineEvents` fits). */
export interface TraceEventSource {
  on(event: 'received', listener: (e: { channel: string; messageId: string; bytes: number; traceparent?: string }) => void): unknown;
  on(event: 'step', listener: (e: { channel: string; messageId: string; step: string; durationMs: number; status: string; traceparent?: string }) => void): unknown;
  on(event: 'processed', listener: (e: { channel: string; messageId: string; status: 'processed' | 'failed'; error?: string }) => void): unknown;
  on(event: 'duplicate', listener: (e: { channel: string; messageId: string; duplicateOf?: string }) => void): unknown;
  on(event: 'rejected', listener: (e: { channel: string; messageId: string; errors: unknown[] }) => void): unknown;
  on(event: 'delivered' | 'retried' | 'deadLettered' | 'parked', listener: (e: { channel: string; destination: string; messageId: string; attempt: number; durationMs: number }) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

type DeliveryEvent = { channel: string; destination: string; messageId: string; attempt: number; durationMs: number; traceparent?: string };

/**
 * Spans per message from engine events, all in the message's one trace (see `messageTraceId`):
 *
 * - `loom.message <channel>` (CONSUMER) from receipt to processed, child of the sender's span when
 *   the message came with a `traceparent`, else a root span whose trace id derives from the
 *   message id; each step is a span event `step <name>`;
 * - `loom.deliver <destination>` (PRODUCER), one per delivery attempt, child of the message span
 *   (also after it ended: deliveries happen after `processed`).
 *
 * Messages the engine resumes without a `received` event (split children, restart) get their
 * message span at their first step. Bounded: at most `maxOpen` message spans stay open (older ones
 * end early) and `maxOpen` ended ones are remembered for their deliveries; a delivery of a
 * forgotten message starts a span in the message-id-derived trace. Returns a detach function.
 *
 * @example const detach = traceEngine(engine.events);
 */
export function traceEngine(events: TraceEventSource, tracer: Tracer = loomTracer(), maxOpen = 10_000): () => void {
  const open = new Map<string, { span: Span; ctx: Context }>();
  const ended = new Map<string, Context>();
  const remember = (messageId: string, ctx: Context): void => {
    ended.delete(messageId);
    ended.set(messageId, ctx);
    if (ended.size > maxOpen) ended.delete(ended.keys().next().value as string);
  };
  const finish = (messageId: string, apply: (span: Span) => void): void => {
    const m = open.get(messageId);
    if (!m) return;
    apply(m.span);
    m.span.end();
    open.delete(messageId);
    remember(messageId, m.ctx);
  };
  const startMessage = (channel: string, messageId: string, traceparent: string | undefined, attributes: Attributes, startTime?: number) => {
    const name = `loom.message ${channel}`;
    const options: SpanOptions = {
      kind: SpanKind.CONSUMER,
      attributes: { 'loom.channel': channel, 'loom.message_id': messageId, ...attributes },
      ...(startTime !== undefined ? { startTime } : {}),
    };
    const inbound = parseTraceparent(traceparent);
    const span = inbound ? tracer.startSpan(name, options, contextFromTraceparent(inbound, ROOT_CONTEXT)) : startRootSpan(tracer, name, options, messageTraceId(messageId));
    const m = { span, ctx: trace.setSpan(ROOT_CONTEXT, span) };
    open.set(messageId, m);
    if (open.size > maxOpen) finish(open.keys().next().value as string, () => undefined);
    return m;
  };

  const handlers: Record<string, (e: never) => void> = {
    received: (e: { channel: string; messageId: string; bytes: number; traceparent?: string }) => {
      startMessage(e.channel, e.messageId, e.traceparent, { 'messaging.message.body.size': e.bytes });
    },
    step: (e: { channel: string; messageId: string; step: string; durationMs: number; status: string; traceparent?: string }) => {
      const m = open.get(e.messageId) ?? (ended.has(e.messageId) ? undefined : startMessage(e.channel, e.messageId, e.traceparent, {}, Date.now() - e.durationMs));
      m?.span.addEvent(`step ${e.step}`, { 'loom.step': e.step, 'loom.step.status': e.status, 'loom.step.duration_ms': e.durationMs });
    },
    processed: (e: { messageId: string; status: string; error?: string }) => {
      finish(e.messageId, (span) => {
        span.setAttribute('loom.outcome', e.status);
        if (e.status === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: e.error ?? 'failed' });
      });
    },
    duplicate: (e: { messageId: string; duplicateOf?: string }) => {
      finish(e.messageId, (span) => {
        span.setAttribute('loom.outcome', 'duplicate');
        if (e.duplicateOf) span.setAttribute('loom.duplicate_of', e.duplicateOf);
      });
    },
    rejected: (e: { messageId: string }) => {
      finish(e.messageId, (span) => {
        span.setAttribute('loom.outcome', 'rejected');
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'rejected' });
      });
    },
  };
  const delivery = (outcome: string) => (e: DeliveryEvent) => {
    const end = Date.now();
    const name = `loom.deliver ${e.destination}`;
    const options: SpanOptions = {
      kind: SpanKind.PRODUCER,
      startTime: end - e.durationMs,
      attributes: { 'loom.channel': e.channel, 'loom.destination': e.destination, 'loom.message_id': e.messageId, 'loom.attempt': e.attempt, 'loom.outcome': outcome },
    };
    // the message span while remembered, else the message's own trace context (kept on its outbox row)
    const inbound = parseTraceparent(e.traceparent);
    const parent = open.get(e.messageId)?.ctx ?? ended.get(e.messageId) ?? (inbound ? contextFromTraceparent(inbound, ROOT_CONTEXT) : undefined);
    const span = parent ? tracer.startSpan(name, options, parent) : startRootSpan(tracer, name, options, messageTraceId(e.messageId));
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
    ended.clear();
  };
}
