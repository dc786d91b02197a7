/**
 * Per-channel traffic over time, fed by engine events: what alert rules and SLAs measure.
 * Bounded: minute buckets for at most `retainMinutes`. Receipt → delivered latency comes from the
 * receipt time each delivery event carries (read from the store with the outbox row), so it holds
 * nothing per message and measures messages received before a restart too.
 */

/** The engine events signals listen to, structurally (the engine's `EngineEvents` fits). */
export interface SignalEventSource {
  on(event: 'received', listener: (e: { channel: string; messageId: string }) => void): unknown;
  on(event: 'rejected', listener: (e: { channel: string; messageId: string }) => void): unknown;
  on(event: 'processed', listener: (e: { channel: string; messageId: string; status: 'processed' | 'failed' }) => void): unknown;
  on(event: 'delivered' | 'deadLettered' | 'parked', listener: (e: { channel: string; destination: string; messageId: string; receivedAt?: number }) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

export interface ChannelCounts {
  received: number;
  failed: number;
  deadLettered: number;
  delivered: number;
}

/** A delivery with its receipt → delivered latency (wall clock of this process minus the stored receipt time). */
export interface DeliverySample {
  channel: string;
  destination: string;
  messageId: string;
  latencyMs: number;
}

const MINUTE = 60_000;
const empty = (): ChannelCounts => ({ received: 0, failed: 0, deadLettered: 0, delivered: 0 });

export class EngineSignals {
  private readonly buckets = new Map<string, Map<number, ChannelCounts>>();
  private readonly lastReceived = new Map<string, number>();
  private readonly listeners: Array<(s: DeliverySample) => void> = [];
  private detachFn: (() => void) | undefined;
  readonly startedAt: number;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly retainMinutes = 24 * 60,
  ) {
    this.startedAt = now();
  }

  /**
   * Listen to an engine's events; returns a detach function.
   *
   * @example const signals = new EngineSignals(); signals.attach(engine.events);
   */
  attach(events: SignalEventSource): () => void {
    const on = events.on.bind(events) as (e: string, l: (x: never) => void) => unknown;
    const handlers: Record<string, (e: never) => void> = {
      received: (e: { channel: string }) => this.onReceived(e.channel),
      rejected: (e: { channel: string }) => this.bump(e.channel, 'failed'),
      processed: (e: { channel: string; status: string }) => {
        if (e.status === 'failed') this.bump(e.channel, 'failed');
      },
      delivered: (e: { channel: string; destination: string; messageId: string; receivedAt?: number }) => this.onDelivered(e),
      deadLettered: (e: { channel: string }) => {
        this.bump(e.channel, 'deadLettered');
        this.bump(e.channel, 'failed');
      },
    };
    for (const [event, handler] of Object.entries(handlers)) on(event, handler);
    this.detachFn = () => {
      for (const [event, handler] of Object.entries(handlers)) events.off(event, handler as (...args: never[]) => void);
    };
    return this.detachFn;
  }

  detach(): void {
    this.detachFn?.();
  }

  /** Called with every delivery that carries its message's receipt time (SLA measurement, latency charts). */
  onDelivery(listener: (s: DeliverySample) => void): void {
    this.listeners.push(listener);
  }

  /** Counts of `channel` (all channels when absent) over the last `windowMs`, at minute granularity. */
  counts(channel: string | undefined, windowMs: number): ChannelCounts {
    const from = this.minute(this.now() - windowMs);
    const out = empty();
    for (const [name, series] of this.buckets) {
      if (channel !== undefined && name !== channel) continue;
      for (const [start, c] of series) {
        if (start < from) continue;
        out.received += c.received;
        out.failed += c.failed;
        out.deadLettered += c.deadLettered;
        out.delivered += c.delivered;
      }
    }
    return out;
  }

  /** When `channel` last received a message in this process; undefined when never. */
  lastReceivedAt(channel: string): number | undefined {
    return this.lastReceived.get(channel);
  }

  private onReceived(channel: string): void {
    this.lastReceived.set(channel, this.now());
    this.bump(channel, 'received');
  }

  private onDelivered(e: { channel: string; destination: string; messageId: string; receivedAt?: number }): void {
    this.bump(e.channel, 'delivered');
    if (e.receivedAt === undefined) return;
    const sample = { channel: e.channel, destination: e.destination, messageId: e.messageId, latencyMs: Math.max(0, this.now() - e.receivedAt) };
    for (const l of this.listeners) l(sample);
  }

  private bump(channel: string, kind: keyof ChannelCounts): void {
    const start = this.minute(this.now());
    let series = this.buckets.get(channel);
    if (!series) this.buckets.set(channel, (series = new Map()));
    let c = series.get(start);
    if (!c) {
      series.set(start, (c = empty()));
      const oldest = start - this.retainMinutes * MINUTE;
      for (const k of series.keys()) if (k < oldest) series.delete(k);
    }
    c[kind]++;
  }

  private minute(ms: number): number {
    return Math.floor(ms / MINUTE) * MINUTE;
  }
}
