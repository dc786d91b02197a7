import { newId, toLoomError, type Envelope, type Logger } from '../kernel/index.js';
import type { BusinessKey, Completion, JournalEntry, NewOutboxRow, StepRecord } from '../kernel/store.js';
import { outboundTraceHeaders } from '../observability/tracing.js';
import type { ChannelDefinition, Parser, StepContext, StepFunction } from './types.js';

/** Header names the engine uses on envelopes. */
export const Headers = {
  /** Effect key base: replays keep the original's so idempotent receivers ignore them. */
  effectBase: 'x-loom-effect-base',
  /** Split children and edited copies resume at this step index. */
  resumeAt: 'x-loom-resume-at',
  replayOf: 'x-loom-replay-of',
} as const;

export interface CompiledChannel {
  def: ChannelDefinition;
  steps: Array<{ name: string; fn: StepFunction }>;
}

export interface StepTiming {
  channel: string;
  messageId: string;
  step: string;
  durationMs: number;
  status: StepRecord['status'];
  /** The inbound W3C trace context, so tracing can place the step in the message's trace. */
  traceparent?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (p: Uint8Array | string): Uint8Array => (typeof p === 'string' ? encoder.encode(p) : p);

/**
 * Run one journaled message through its channel's steps and compute everything the
 * completion commit writes: step records, business keys, outbox rows, split children.
 * A throwing step makes the message `failed` (searchable, replayable); nothing is delivered.
 */
export async function runPipeline(
  channel: CompiledChannel,
  envelope: Envelope,
  payload: Uint8Array,
  parsers: ReadonlyMap<string, Parser>,
  logger: Logger,
  onStep: (t: StepTiming) => void,
): Promise<Completion> {
  const keys: BusinessKey[] = [];
  const steps: StepRecord[] = [];
  const children: JournalEntry[] = [];
  let orderingKey: string | undefined;
  let correlationId: string | undefined;
  let effectKey: string | undefined;
  let destinations: string[] | undefined;
  let parsedCache: { of: Uint8Array; value: unknown } | undefined;
  const ctx: StepContext = {
    envelope,
    payload,
    contentType: envelope.contentType,
    text: () => decoder.decode(ctx.payload),
    parsed: () => {
      if (parsedCache?.of === ctx.payload) return parsedCache.value;
      const parser = parsers.get(ctx.contentType);
      const value = parser ? parser(ctx.payload) : ctx.text();
      parsedCache = { of: ctx.payload, value };
      return value;
    },
    setKey: (name, value) => void keys.push({ name, value }),
    setOrderingKey: (k) => void (orderingKey = k),
    setCorrelationId: (id) => void (correlationId = id),
    setEffectKey: (k) => void (effectKey = k),
    data: {},
    logger: logger.child({ channel: channel.def.name, messageId: envelope.id, correlationId: envelope.correlationId }),
  };
  const start = Number(envelope.headers[Headers.resumeAt] ?? 0);
  const timing = { channel: channel.def.name, messageId: envelope.id, ...(envelope.headers.traceparent ? { traceparent: envelope.headers.traceparent } : {}) };
  const base = envelope.headers[Headers.effectBase] ?? envelope.id;
  const done = (status: 'processed' | 'failed', error?: string, outbox: NewOutboxRow[] = []): Completion => ({
    messageId: envelope.id, status, ...(error ? { error } : {}), steps, keys, outbox, children,
    ...(correlationId ? { correlationId } : {}),
  });

  for (let i = start; i < channel.steps.length; i++) {
    const step = channel.steps[i];
    const t0 = performance.now();
    const startedAt = Date.now();
    let out;
    try {
      out = await step.fn(ctx);
    } catch (e) {
      const err = toLoomError(e, 'engine.step.failed', `${channel.def.name} step ${i + 1} (${step.name})`);
      const durationMs = performance.now() - t0;
      steps.push({ name: step.name, status: 'failed', startedAt, durationMs, error: err.describe() });
      onStep({ ...timing, step: step.name, durationMs, status: 'failed' });
      return done('failed', err.describe());
    }
    const durationMs = performance.now() - t0;
    const status = out?.drop ? 'filtered' : 'ok';
    steps.push({ name: step.name, status, startedAt, durationMs, ...(out?.drop ? { error: out.drop } : {}) });
    onStep({ ...timing, step: step.name, durationMs, status });
    if (!out) continue;
    if (out.drop) return done('processed');
    if (out.payload !== undefined) ctx.payload = bytes(out.payload);
    if (out.contentType) ctx.contentType = out.contentType;
    if (out.destinations) destinations = out.destinations;
    if (out.split) {
      out.split.forEach((part, n) => {
        const id = newId();
        children.push({
          envelope: {
            ...envelope, id, causationId: envelope.id, correlationId: correlationId ?? envelope.correlationId,
            contentType: part.contentType ?? ctx.contentType, receivedAt: new Date().toISOString(),
            // children (process effects, split parts) continue the parent's trace: its inbound one, else its derived one
            headers: { ...envelope.headers, ...outboundTraceHeaders(envelope.headers, envelope.id), [Headers.resumeAt]: String(i + 1), [Headers.effectBase]: `${base}#${n}` },
          },
          payload: bytes(part.payload),
          status: 'received',
        });
      });
      return done('processed');
    }
  }

  const targets = destinations ?? channel.def.destinations.map((d) => d.name);
  const known = new Set(channel.def.destinations.map((d) => d.name));
  const unknown = targets.filter((t) => !known.has(t));
  if (unknown.length > 0) return done('failed', `route named unknown destination(s) ${unknown.join(', ')} in channel ${channel.def.name}`);
  const sameAsJournal = ctx.payload === payload;
  const outbox: NewOutboxRow[] = targets.map((destination) => ({
    id: newId(),
    messageId: envelope.id,
    channel: channel.def.name,
    destination,
    idempotencyKey: effectKey ? `${destination}:${effectKey}` : `${channel.def.name}/${destination}/${base}`,
    ...(channel.def.ordered && orderingKey ? { orderingKey } : {}),
    ...(sameAsJournal ? {} : { payload: ctx.payload }),
    contentType: ctx.contentType,
    // W3C trace context rides along so outbound connectors continue the sender's trace.
    headers: { 'x-loom-correlation-id': correlationId ?? envelope.correlationId, ...traceHeaders(envelope.headers) },
  }));
  return done('processed', undefined, outbox);
}

/** The inbound `traceparent`/`tracestate` (validated by the connector), when the sender sent them. */
function traceHeaders(h: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  if (h.traceparent) out.traceparent = h.traceparent;
  if (h.traceparent && h.tracestate) out.tracestate = h.tracestate;
  return out;
}
