import { EventEmitter } from 'node:events';
import type { Attributes, Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { EngineEvents } from '../engine/index.js';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { contextFromTraceparent, formatTraceparent, injectTraceparent, loomIdGenerator, messageTraceId, outboundTraceHeaders, parseTraceparent } from './tracing.js';
import { traceEngine, type TraceEventSource } from './tracing-engine.js';

export const fits = (events: EngineEvents): TraceEventSource => events;

const SAMPLE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it('parses and formats the W3C header', () => {
    expect(parseTraceparent(SAMPLE)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true });
    expect(formatTraceparent(parseTraceparent(SAMPLE)!)).toBe(SAMPLE);
    expect(parseTraceparent(' 00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-00 ')?.sampled).toBe(false);
    // future versions may append fields; version 00 may not
    expect(parseTraceparent(`01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra`)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    for (const bad of [undefined, '', 'garbage', `${SAMPLE}-x`, 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });

  it('injects: keeps the trace id of the parent with a new span id, or starts a trace', () => {
    const parent = parseTraceparent(SAMPLE)!;
    const headers = injectTraceparent({ 'content-type': 'application/json' }, parent);
    const out = parseTraceparent(headers.traceparent)!;
    expect(out.traceId).toBe(parent.traceId);
    expect(out.spanId).not.toBe(parent.spanId);
    expect(headers['content-type']).toBe('application/json');
    const fresh = parseTraceparent(injectTraceparent({}).traceparent)!;
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.traceId).not.toBe(parent.traceId);
    // A span context in the OTel context wins (what an SDK's active span provides).
    const ctx = contextFromTraceparent(parent, context.active());
    expect(trace.getSpanContext(ctx)?.traceId).toBe(parent.traceId);
    expect(injectTraceparent({}, undefined, ctx).traceparent).toBe(SAMPLE);
  });
});

/** A recording tracer: enough of the API to see which spans the engine events produce. */
function recorder() {
  const spans: Array<{ name: string; attributes: Attributes; events: string[]; ended: boolean; status?: number; parent?: string }> = [];
  const tracer = {
    startSpan(name: string, options: SpanOptions = {}, ctx?: Context): Span {
      const parentName = ctx ? (trace.getSpan(ctx) as unknown as { recordName?: string } | undefined)?.recordName : undefined;
      const rec = { name, attributes: { ...options.attributes }, events: [] as string[], ended: false, ...(parentName ? { parent: parentName } : {}) } as (typeof spans)[number];
      spans.push(rec);
      const span = {
        recordName: name,
        spanContext: () => ({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 }),
        addEvent: (e: string) => (rec.events.push(e), span),
        setStatus: (s: { code: number }) => ((rec.status = s.code), span),
        setAttribute: (k: string, v: string) => ((rec.attributes[k] = v), span),
        end: () => void (rec.ended = true),
      };
      return span as unknown as Span;
    },
  } as unknown as Tracer;
  return { spans, tracer };
}

describe('traceEngine', () => {
  it('opens a span per message, adds steps, and a child span per delivery attempt', () => {
    const events = new EventEmitter();
    const { spans, tracer } = recorder();
    const detach = traceEngine(events as unknown as TraceEventSource, tracer);
    events.emit('received', { channel: 'adt', messageId: 'M1', bytes: 120 });
    events.emit('step', { channel: 'adt', messageId: 'M1', step: 'hl7-keys', durationMs: 0.2, status: 'ok' });
    events.emit('processed', { channel: 'adt', messageId: 'M1', status: 'processed' });
    events.emit('received', { channel: 'adt', messageId: 'M2', bytes: 80 });
    events.emit('retried', { channel: 'adt', destination: 'erp', messageId: 'M2', attempt: 1, durationMs: 5 });
    events.emit('processed', { channel: 'adt', messageId: 'M2', status: 'failed', error: 'boom' });
    events.emit('delivered', { channel: 'adt', destination: 'erp', messageId: 'M1', attempt: 1, durationMs: 3 });
    expect(spans.map((s) => s.name)).toEqual(['loom.message adt', 'loom.message adt', 'loom.deliver erp', 'loom.deliver erp']);
    expect(spans[0]).toMatchObject({ events: ['step hl7-keys'], ended: true, attributes: { 'loom.message_id': 'M1', 'loom.channel': 'adt' } });
    expect(spans[1]).toMatchObject({ ended: true, status: 2 });
    expect(spans[2]).toMatchObject({ parent: 'loom.message adt', status: 2, attributes: { 'loom.outcome': 'retried', 'loom.attempt': 1 } });
    expect(spans[3]).toMatchObject({ parent: 'loom.message adt', attributes: { 'loom.outcome': 'delivered', 'loom.message_id': 'M1' } });
    detach();
    events.emit('received', { channel: 'adt', messageId: 'M3', bytes: 1 });
    expect(spans).toHaveLength(4);
  });
});

/** A real SDK provider with Loom's id generator, exporting to memory. */
function sdk() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ idGenerator: loomIdGenerator, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer('test') };
}

describe('traceEngine with the SDK: one trace per message', () => {
  it('steps go to their own message under concurrency, not the channel\'s newest', () => {
    const events = new EventEmitter();
    const { exporter, tracer } = sdk();
    traceEngine(events as unknown as TraceEventSource, tracer);
    events.emit('received', { channel: 'adt', messageId: 'A', bytes: 1 });
    events.emit('received', { channel: 'adt', messageId: 'B', bytes: 1 });
    events.emit('step', { channel: 'adt', messageId: 'A', step: 'parse', durationMs: 1, status: 'ok' });
    events.emit('step', { channel: 'adt', messageId: 'B', step: 'route', durationMs: 1, status: 'ok' });
    events.emit('processed', { channel: 'adt', messageId: 'A', status: 'processed' });
    events.emit('processed', { channel: 'adt', messageId: 'B', status: 'processed' });
    const byId = new Map(exporter.getFinishedSpans().map((s) => [s.attributes['loom.message_id'], s]));
    expect(byId.get('A')!.events.map((e) => e.name)).toEqual(['step parse']);
    expect(byId.get('B')!.events.map((e) => e.name)).toEqual(['step route']);
  });

  it('the inbound traceparent is the parent; without one the trace id derives from the message id like outboundTraceHeaders', () => {
    const events = new EventEmitter();
    const { exporter, tracer } = sdk();
    traceEngine(events as unknown as TraceEventSource, tracer);
    events.emit('received', { channel: 'adt', messageId: 'T', bytes: 1, traceparent: SAMPLE });
    events.emit('received', { channel: 'adt', messageId: 'U', bytes: 1 });
    events.emit('processed', { channel: 'adt', messageId: 'T', status: 'processed' });
    events.emit('processed', { channel: 'adt', messageId: 'U', status: 'failed', error: 'boom' });
    // deliveries come after the message span ended: still children of it, in its trace
    events.emit('delivered', { channel: 'adt', destination: 'erp', messageId: 'T', attempt: 1, durationMs: 2 });
    events.emit('retried', { channel: 'adt', destination: 'erp', messageId: 'U', attempt: 1, durationMs: 2 });
    const spans = exporter.getFinishedSpans();
    const get = (name: string, id: string) => spans.find((s) => s.name === name && s.attributes['loom.message_id'] === id)!;
    const t = get('loom.message adt', 'T');
    expect(t.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(t.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    const u = get('loom.message adt', 'U');
    const derived = parseTraceparent(outboundTraceHeaders({}, 'U').traceparent)!.traceId;
    expect(u.spanContext().traceId).toBe(derived);
    expect(u.spanContext().traceId).toBe(messageTraceId('U'));
    expect(u.parentSpanContext).toBeUndefined();
    expect(u.status.code).toBe(2);
    const dt = get('loom.deliver erp', 'T');
    expect(dt.spanContext().traceId).toBe(t.spanContext().traceId);
    expect(dt.parentSpanContext?.spanId).toBe(t.spanContext().spanId);
    const du = get('loom.deliver erp', 'U');
    expect(du.parentSpanContext?.spanId).toBe(u.spanContext().spanId);
    expect(du.attributes['loom.outcome']).toBe('retried');
  });

  it('a message without `received` (split child, restart) gets its span at the first step; unknown deliveries use the derived trace', () => {
    const events = new EventEmitter();
    const { exporter, tracer } = sdk();
    traceEngine(events as unknown as TraceEventSource, tracer);
    events.emit('step', { channel: 'adt', messageId: 'C', step: 'route', durationMs: 1, status: 'ok', traceparent: SAMPLE });
    events.emit('processed', { channel: 'adt', messageId: 'C', status: 'processed' });
    events.emit('delivered', { channel: 'adt', destination: 'erp', messageId: 'Z', attempt: 3, durationMs: 2 });
    const [c, z] = exporter.getFinishedSpans();
    expect(c.name).toBe('loom.message adt');
    expect(c.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(c.events.map((e) => e.name)).toEqual(['step route']);
    expect(z.spanContext().traceId).toBe(messageTraceId('Z'));
  });

  it('duplicates and rejections end their span; maxOpen bounds what is kept', () => {
    const events = new EventEmitter();
    const { exporter, tracer } = sdk();
    traceEngine(events as unknown as TraceEventSource, tracer, 2);
    events.emit('received', { channel: 'adt', messageId: 'D', bytes: 1 });
    events.emit('duplicate', { channel: 'adt', messageId: 'D', duplicateOf: 'A' });
    events.emit('received', { channel: 'adt', messageId: 'R', bytes: 1 });
    events.emit('rejected', { channel: 'adt', messageId: 'R', errors: [] });
    expect(exporter.getFinishedSpans().map((s) => [s.attributes['loom.outcome'], s.status.code])).toEqual([['duplicate', 0], ['rejected', 2]]);
    for (const id of ['1', '2', '3']) events.emit('received', { channel: 'adt', messageId: id, bytes: 1 });
    expect(exporter.getFinishedSpans().map((s) => s.attributes['loom.message_id'])).toEqual(['D', 'R', '1']);
  });
});
