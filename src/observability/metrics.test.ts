import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { EngineEvents } from '../engine/index.js';
import { type EngineEventSource, attachEngineMetrics } from './engine-metrics.js';
import { createMetrics } from './metrics.js';

// Compile-time check that the engine's emitter fits the adapter (tsc fails otherwise).
export const engineEventsFit = (events: EngineEvents): EngineEventSource => events;

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createMetrics', () => {
  it('exposes Loom series and process metrics on a private registry', async () => {
    const metrics = createMetrics();
    metrics.messages.inc({ channel: 'ehr-adt', status: 'received' });
    metrics.outboxDepth.set({ channel: 'ehr-adt', destination: 'erp' }, 3);
    const text = await metrics.text();
    for (const name of [
      'loom_channel_messages_total',
      'loom_delivery_total',
      'loom_channel_in_flight',
      'loom_outbox_depth',
      'loom_outbox_oldest_age_seconds',
      'loom_step_duration_seconds',
      'loom_delivery_latency_seconds',
      'loom_store_size_bytes',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(sample(text, 'loom_channel_messages_total{channel="ehr-adt",status="received"}')).toBe(1);
    expect(sample(text, 'loom_outbox_depth{channel="ehr-adt",destination="erp"}')).toBe(3);
    expect(metrics.contentType).toContain('text/plain');
  });

  it('keeps two instances apart', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.messages.inc({ channel: 'x', status: 'received' }, 5);
    expect(sample(await b.text(), 'loom_channel_messages_total{channel="x",status="received"}')).toBeUndefined();
    expect(sample(await a.text(), 'loom_channel_messages_total{channel="x",status="received"}')).toBe(5);
  });

  it('runs samplers before a scrape and survives a failing one', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let size = 100;
    metrics.onScrape(() => metrics.storeSize.set(size));
    metrics.onScrape(() => {
      throw new Error('store closed');
    });
    expect(sample(await metrics.text(), 'loom_store_size_bytes')).toBe(100);
    size = 250;
    expect(sample(await metrics.text(), 'loom_store_size_bytes')).toBe(250);
  });
});

describe('attachEngineMetrics', () => {
  it('counts intake, processing, steps and deliveries from engine events', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const events = new EventEmitter();
    const detach = attachEngineMetrics(metrics, events as unknown as EngineEventSource);
    const channel = 'ehr-adt';
    const delivery = { channel, destination: 'erp', messageId: 'M1', outboxId: 'O1', attempt: 1, durationMs: 40 };
    for (const id of ['M1', 'M2', 'M3']) events.emit('received', { channel, messageId: id, bytes: 10 });
    events.emit('acked', { channel, messageId: 'M1', outcome: 'accepted', latencyMs: 2 });
    events.emit('acked', { channel, messageId: 'M2', outcome: 'accepted', latencyMs: 3 });
    events.emit('duplicate', { channel, messageId: 'M3' });
    events.emit('acked', { channel, messageId: 'M3', outcome: 'duplicate', latencyMs: 1 });
    events.emit('step', { channel, step: 'validate', durationMs: 1.5, status: 'ok' });
    events.emit('processed', { channel, messageId: 'M1', status: 'processed' });
    events.emit('delivered', delivery);
    events.emit('retried', { ...delivery, attempt: 2 });
    events.emit('deadLettered', { ...delivery, attempt: 3, deadLetterId: 'D1' });
    events.emit('breakerOpened', { channel, destination: 'erp' });

    const text = await metrics.text();
    const messages = (status: string) => sample(text, `loom_channel_messages_total{channel="${channel}",status="${status}"}`);
    expect([messages('received'), messages('acked'), messages('duplicate'), messages('processed')]).toEqual([3, 2, 1, 1]);
    expect(sample(text, `loom_channel_in_flight{channel="${channel}"}`)).toBe(1);
    const outcome = (o: string) => sample(text, `loom_delivery_total{channel="${channel}",destination="erp",outcome="${o}"}`);
    expect([outcome('delivered'), outcome('retried'), outcome('dead_lettered')]).toEqual([1, 1, 1]);
    expect(sample(text, `loom_step_duration_seconds_count{channel="${channel}",step="validate"}`)).toBe(1);
    expect(sample(text, `loom_delivery_latency_seconds_sum{channel="${channel}",destination="erp"}`)).toBeCloseTo(0.04);
    expect(sample(text, `loom_channel_ack_latency_seconds_count{channel="${channel}"}`)).toBe(3);
    expect(sample(text, `loom_delivery_breaker_open{channel="${channel}",destination="erp"}`)).toBe(1);

    detach();
    expect(events.listenerCount('received')).toBe(0);
    events.emit('received', { channel, messageId: 'M4', bytes: 1 });
    expect(sample(await metrics.text(), `loom_channel_messages_total{channel="${channel}",status="received"}`)).toBe(3);
  });
});
