import type { EngineEvents } from '../engine/index.js';

export interface ThroughputBucket {
  t: string;
  received: number;
  delivered: number;
  failed: number;
}

/**
 * Counts of received, delivered and failed (dead-lettered or rejected) messages in fixed
 * buckets over the last hour, fed by engine events: the console's throughput chart.
 * Bounded: a ring of `size` buckets, whatever the traffic.
 */
export class ThroughputWindow {
  private readonly buckets = new Map<number, ThroughputBucket>();

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
  }

  bump(kind: 'received' | 'delivered' | 'failed'): void {
    const start = this.bucketStart(this.now());
    let bucket = this.buckets.get(start);
    if (!bucket) {
      bucket = { t: new Date(start).toISOString(), received: 0, delivered: 0, failed: 0 };
      this.buckets.set(start, bucket);
      const oldest = start - this.size * this.bucketSeconds * 1000;
      for (const key of this.buckets.keys()) if (key <= oldest) this.buckets.delete(key);
    }
    bucket[kind]++;
  }

  /** The last `minutes` of buckets, oldest first, with empty buckets filled in. */
  series(minutes: number): ThroughputBucket[] {
    const step = this.bucketSeconds * 1000;
    const end = this.bucketStart(this.now());
    const count = Math.min(this.size, Math.max(1, Math.ceil((minutes * 60) / this.bucketSeconds)));
    const out: ThroughputBucket[] = [];
    for (let start = end - (count - 1) * step; start <= end; start += step) {
      out.push(this.buckets.get(start) ?? { t: new Date(start).toISOString(), received: 0, delivered: 0, failed: 0 });
    }
    return out;
  }

  private bucketStart(ms: number): number {
    const step = this.bucketSeconds * 1000;
    return Math.floor(ms / step) * step;
  }
}
