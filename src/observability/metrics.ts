import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Status of a message at the channel: the engine's intake and pipeline outcomes. */
export type MessageStatus = 'received' | 'acked' | 'rejected' | 'duplicate' | 'processed' | 'failed';
export type DeliveryOutcome = 'delivered' | 'retried' | 'dead_lettered' | 'parked';

/** Metric handles of one engine, on their own Registry (never prom-client's global one). */
export interface LoomMetrics {
  readonly registry: Registry;
  readonly messages: Counter<'channel' | 'status'>;
  readonly deliveries: Counter<'channel' | 'destination' | 'outcome'>;
  readonly inFlight: Gauge<'channel'>;
  readonly outboxDepth: Gauge<'channel' | 'destination'>;
  readonly outboxOldestAge: Gauge<'channel' | 'destination'>;
  readonly breakerOpen: Gauge<'channel' | 'destination'>;
  readonly stepDuration: Histogram<'channel' | 'step'>;
  readonly ackLatency: Histogram<'channel'>;
  readonly deliveryLatency: Histogram<'channel' | 'destination'>;
  readonly storeSize: Gauge<string>;
  readonly processInstances: Gauge<'process' | 'status'>;
  readonly processWaiting: Gauge<'process' | 'status' | 'cause'>;
  /** Run `sampler` before every scrape (store sizes, outbox depths read from the store). */
  onScrape(sampler: () => void | Promise<void>): void;
  /** Prometheus text exposition, for `GET /metrics`. */
  text(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Process metrics (RSS, CPU, event-loop lag, GC). Default true. */
  defaultMetrics?: boolean;
  /** Labels on every series, e.g. `{ instance: 'loom-1' }`. */
  labels?: Record<string, string>;
}

/**
 * Create Loom's metrics (`loom_<area>_<what>_<unit>`) on a private Registry.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.messages.inc({ channel: 'ehr-adt', status: 'received' });
 * app.get('/metrics', async (c) => c.text(await metrics.text(), 200, { 'content-type': metrics.contentType }));
 */
export function createMetrics(options: MetricsOptions = {}): LoomMetrics {
  const registry = new Registry();
  if (options.labels) registry.setDefaultLabels(options.labels);
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const registers = [registry];
  const samplers: (() => void | Promise<void>)[] = [];
  return {
    registry,
    messages: new Counter({
      name: 'loom_channel_messages_total',
      help: 'Messages per channel by status: received, acked, rejected, duplicate, processed, failed.',
      labelNames: ['channel', 'status'],
      registers,
    }),
    deliveries: new Counter({
      name: 'loom_delivery_total',
      help: 'Delivery attempts by outcome: delivered, retried, dead_lettered, parked.',
      labelNames: ['channel', 'destination', 'outcome'],
      registers,
    }),
    inFlight: new Gauge({
      name: 'loom_channel_in_flight',
      help: 'Messages journaled and not yet processed.',
      labelNames: ['channel'],
      registers,
    }),
    outboxDepth: new Gauge({
      name: 'loom_outbox_depth',
      help: 'Deliveries waiting in the outbox.',
      labelNames: ['channel', 'destination'],
      registers,
    }),
    outboxOldestAge: new Gauge({
      name: 'loom_outbox_oldest_age_seconds',
      help: 'Age of the oldest undelivered outbox entry.',
      labelNames: ['channel', 'destination'],
      registers,
    }),
    breakerOpen: new Gauge({
      name: 'loom_delivery_breaker_open',
      help: '1 while the circuit breaker of a destination is open.',
      labelNames: ['channel', 'destination'],
      registers,
    }),
    stepDuration: new Histogram({
      name: 'loom_step_duration_seconds',
      help: 'Duration of one pipeline step for one message.',
      labelNames: ['channel', 'step'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    }),
    ackLatency: new Histogram({
      name: 'loom_channel_ack_latency_seconds',
      help: 'From receipt to acknowledgement (includes the durable commit).',
      labelNames: ['channel'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    }),
    deliveryLatency: new Histogram({
      name: 'loom_delivery_latency_seconds',
      help: 'Duration of one delivery attempt to a destination.',
      labelNames: ['channel', 'destination'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    storeSize: new Gauge({ name: 'loom_store_size_bytes', help: 'Size of the message store on disk.', registers }),
    processInstances: new Gauge({ name: 'loom_process_instances', help: 'Process instances by process and status.', labelNames: ['process', 'status'], registers }),
    processWaiting: new Gauge({
      name: 'loom_process_waiting_instances',
      help: 'Open, waiting and exception process instances by wait cause (the wait text without its ids and counts).',
      labelNames: ['process', 'status', 'cause'],
      registers,
    }),
    onScrape: (sampler) => void samplers.push(sampler),
    async text() {
      // A failing sampler must not take /metrics down: the other series are still worth serving.
      await Promise.allSettled(samplers.map(async (sampler) => sampler()));
      return registry.metrics();
    },
    contentType: registry.contentType,
  };
}
