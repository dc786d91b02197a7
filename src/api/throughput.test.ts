import { describe, expect, it } from 'vitest';
import { EngineEvents } from '../engine/events.js';
import { LATENCY_BINS, LATENCY_BOUNDS_MS, ThroughputWindow, latencyBin, latencyQuantile } from './throughput.js';

/** Exact nearest-rank quantile of sorted values: what the histogram approximates from above. */
const exact = (sorted: number[], q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;
const RATIO = (LATENCY_BOUNDS_MS[1] as number) / (LATENCY_BOUNDS_MS[0] as number);

describe('latency histogram', () => {
  it('has 40 log-scale bins from 1 ms to 10 min and puts each value in the first bin bounding it', () => {
    expect(LATENCY_BOUNDS_MS).toHaveLength(LATENCY_BINS);
    expect(LATENCY_BOUNDS_MS[0]).toBe(1);
    expect(LATENCY_BOUNDS_MS[LATENCY_BINS - 1]).toBe(600_000);
    for (const ms of [0, 0.3, 1, 1.01, 2, 7, 10, 99.9, 100, 1234, 59_999, 600_000]) {
      const i = latencyBin(ms);
      expect(LATENCY_BOUNDS_MS[i], `${ms} ms`).toBeGreaterThanOrEqual(ms);
      if (i > 0) expect(LATENCY_BOUNDS_MS[i - 1], `${ms} ms`).toBeLessThan(ms);
    }
    // Every bound lands in its own bin (no float drift at the edges).
    LATENCY_BOUNDS_MS.forEach((b, i) => expect(latencyBin(b)).toBe(i));
    expect(latencyBin(3_600_000)).toBe(LATENCY_BINS - 1); // over 10 min: the last bin
    expect(latencyBin(-5)).toBe(0);
  });

  it('reports p50 and p95 as the upper bound of the bin holding the rank, within one bin of the truth', () => {
    const hist = new Uint32Array(LATENCY_BINS);
    expect(latencyQuantile(hist, 0.5)).toBeNull();
    // 1..1000 ms, one each: true p50 = 500, p95 = 950.
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    for (const v of values) hist[latencyBin(v)]++;
    for (const q of [0.5, 0.95]) {
      const got = latencyQuantile(hist, q) as number;
      const truth = exact(values, q);
      expect(got).toBeGreaterThanOrEqual(truth);
      expect(got).toBeLessThan(truth * RATIO);
    }
    expect(latencyQuantile(hist, 0.5)).toBe(653.1); // bin (464.3, 653.1] holds 500
    expect(latencyQuantile(hist, 0.95)).toBe(1292.1); // bin (918.7, 1292.1] holds 950
  });

  it('separates a slow tail from the median', () => {
    const hist = new Uint32Array(LATENCY_BINS);
    for (let i = 0; i < 90; i++) hist[latencyBin(5)]++;
    for (let i = 0; i < 10; i++) hist[latencyBin(5_000)]++;
    expect(latencyQuantile(hist, 0.5)).toBe(5.5);
    expect(latencyQuantile(hist, 0.9)).toBe(5.5); // rank 90 is still the fast group
    expect(latencyQuantile(hist, 0.95)).toBe(5057.6); // bin (3595.7, 5057.6] holds 5000
  });
});

describe('ThroughputWindow', () => {
  it('carries p50/p95 per bucket, null where nothing was delivered, and forgets old buckets', () => {
    let now = Date.parse('2026-03-04T10:00:00Z');
    const tp = new ThroughputWindow(10, 6, () => now);
    for (const ms of [10, 20, 30, 40, 2_000]) {
      tp.bump('delivered');
      tp.recordLatency(ms);
    }
    now += 10_000;
    tp.bump('received');
    tp.bump('failed');
    let series = tp.series(1);
    expect(series).toHaveLength(6);
    const [first, second] = series.slice(-2);
    expect(first).toMatchObject({ t: '2026-03-04T10:00:00.000Z', delivered: 5, p50Ms: 30.3, p95Ms: 2556.4 });
    expect(second).toMatchObject({ received: 1, failed: 1, delivered: 0, p50Ms: null, p95Ms: null });
    expect(series[0]).toMatchObject({ received: 0, p50Ms: null });

    // Past the ring's size the old bucket's histogram is gone.
    now += 60_000;
    tp.recordLatency(1);
    series = tp.series(10);
    expect(series.every((b) => b.delivered === 0)).toBe(true);
    expect(series.at(-1)).toMatchObject({ p50Ms: 1, p95Ms: 1 });
    expect(series.filter((b) => b.p50Ms !== null)).toHaveLength(1);
  });

  it('counts rejected, dead-lettered and step-failed messages as failed', () => {
    const events = new EngineEvents();
    const tp = new ThroughputWindow(10, 6, () => 1_000_000);
    tp.attach(events);
    events.emit('received', { channel: 'c', messageId: 'm1', bytes: 1 });
    events.emit('rejected', { channel: 'c', messageId: 'm2', errors: [] });
    events.emit('processed', { channel: 'c', messageId: 'm3', status: 'failed', error: 'mapping failed' });
    events.emit('processed', { channel: 'c', messageId: 'm1', status: 'processed' });
    expect(tp.series(1).at(-1)).toMatchObject({ received: 1, failed: 2 });
  });
});
