import type { EngineEvents } from '../engine/index.js';

export interface ThroughputBucket {
  t: string;
  received: number;
  delivered: number;
  failed: number;
  /** Median receipt → delivered latency in the bucket, ms (a histogram bin's upper bound); null without deliveries measured. */
  p50Ms: number | null;
  /** 95th percentile receipt → delivered latency, ms (bin upper bound); null without deliveries measured. */
  p95Ms: number | null;
}

/**
 * Latency histogram bins: log-scale upper bounds from 1 ms to 10 min, each ~1.41× the last, so a
 * reported quantile is at most ~41 % above the true value. Latencies over 10 min count in the last
 * bin (reported as 600 000 ms: "10 min or more").
 */
export const LATENCY_BINS = 40;
const MIN_MS = 1;
const MAX_MS = 600_000;
const RATIO = (MAX_MS / MIN_MS) ** (1 / (LATENCY_BINS - 1));
const LOG_RATIO = Math.log(RATIO);
export const LATENCY_BOUNDS_MS: readonly number[] = Array.from({ length: LATENCY_BINS }, (_, i) =>
  i === LATENCY_BINS - 1 ? MAX_MS : MIN_MS * RATIO ** i,
);

/** Index of the bin whose upper bound is the first at or above `ms`. */
export function latencyBin(ms: number): number {
  if (!(ms > MIN_MS)) return 0; // also NaN and negatives (clock steps)
  if (ms >= MAX_MS) return LATENCY_BINS - 1;
  let i = Math.ceil(Math.log(ms / MIN_MS) / LOG_RATIO);
  // Float error near a bound: step to the first bound ≥ ms.
  if (i > 0 && (LATENCY_BOUNDS_MS[i - 1] as number) >= ms) i--;
  else if ((LATENCY_BOUNDS_MS[i] as number) < ms) i++;
  return Math.min(i, LATENCY_BINS - 1);
}

/**
 * The `q` quantile (0 < q ≤ 1, nearest rank) of a latency histogram, as the upper bound of the bin
 * holding that rank, rounded to 0.1 ms; null for an empty histogram.
 *
 * @example latencyQuantile(hist, 0.95) // 1292.1 for a p95 between 918.7 and 1292.1 ms
 */
export function latencyQuantile(hist: Uint32Array, q: number): number | null {
  let count = 0;
  for (const c of hist) count += c;
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * count));
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i] as number;
    if (seen >= rank) return Math.round((LATENCY_BOUNDS_MS[i] as number) * 10) / 10;
  }
  return MAX_MS;
}

interface Slot {
  received: number;
  delivered: number;
  failed: number;
  /** Allocated on the first latency sample. */
  latency?: Uint32Array;
}

/**
 * Counts of received, delivered and failed (dead-lettered or rejected) messages in fixed
 * buckets over the last hour, with delivery latency p50/p95 per bucket, fed by engine events and
 * delivery samples: the console's throughput, latency and exception charts.
 * Bounded: a ring of `size` buckets, each at most a 40-bin histogram, whatever the traffic.
 */
export class ThroughputWindow {
  private readonly buckets = new Map<number, Slot>();

  constructor(
    readonly bucketSeconds = 10,
    private readonly size = 360,
    private readonly now: () => number = Date.now,
  ) {}

  attach(events: EngineEvents): void {
    events.on('received', () => this.bump('received'));
    events.on('delivered', () => this.bump('delivered'));
    events.on('deadLettered', () => this.bump('failed'));
    events.on('rejected', () => this.bump('failed'));
    // a step that failed the message (mapping error, bad content) is an exception too
    events.on('processed', (e) => {
      if (e.status === 'failed') this.bump('failed');
    });
  }

  bump(kind: 'received' | 'delivered' | 'failed'): void {
    this.slot()[kind]++;
  }

  /**
   * Count one delivery's receipt → delivered latency in the current bucket: O(1), no allocation
   * after the bucket's first sample.
   *
   * @example signals.onDelivery((s) => throughput.recordLatency(s.latencyMs));
   */
  recordLatency(ms: number): void {
    const slot = this.slot();
    const hist = (slot.latency ??= new Uint32Array(LATENCY_BINS));
    hist[latencyBin(ms)]++;
  }

  /** The last `minutes` of buckets, oldest first, with empty buckets filled in. */
  series(minutes: number): ThroughputBucket[] {
    const step = this.bucketSeconds * 1000;
    const end = this.bucketStart(this.now());
    const count = Math.min(this.size, Math.max(1, Math.ceil((minutes * 60) / this.bucketSeconds)));
    const out: ThroughputBucket[] = [];
    for (let start = end - (count - 1) * step; start <= end; start += step) {
      const slot = this.buckets.get(start);
      out.push({
        t: new Date(start).toISOString(),
        received: slot?.received ?? 0,
        delivered: slot?.delivered ?? 0,
        failed: slot?.failed ?? 0,
        p50Ms: slot?.latency ? latencyQuantile(slot.latency, 0.5) : null,
        p95Ms: slot?.latency ? latencyQuantile(slot.latency, 0.95) : null,
      });
    }
    return out;
  }

  private slot(): Slot {
    const start = this.bucketStart(this.now());
    let slot = this.buckets.get(start);
    if (!slot) {
      slot = { received: 0, delivered: 0, failed: 0 };
      this.buckets.set(start, slot);
      const oldest = start - this.size * this.bucketSeconds * 1000;
      for (const key of this.buckets.keys()) if (key <= oldest) this.buckets.delete(key);
    }
    return slot;
  }

  private bucketStart(ms: number): number {
    const step = this.bucketSeconds * 1000;
    return Math.floor(ms / step) * step;
  }
}
