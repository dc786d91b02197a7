import { LoomError } from '../kernel/index.js';
import type { SlaDefinition } from './alerts/schema.js';
import type { DeliverySample, EngineSignals } from './signals.js';

/** One SLA as `GET /api/v1/slas` reports it. */
export interface SlaReport {
  name: string;
  description?: string;
  channel?: string;
  destination?: string;
  measure?: string;
  process?: string;
  withinMs: number;
  target: number;
  windowMs: number;
  /** Samples in the window. */
  total: number;
  met: number;
  /** Share met in percent; null while there are no samples (no data is not 100 %). */
  percentMet: number | null;
  /** percentMet ≥ target; null without samples. */
  ok: boolean | null;
  /** Worst latency in the window, ms. */
  worstMs: number | null;
}

/** One point of an SLA's attainment over time (`GET /api/v1/slas` → items[].trend). */
export interface SlaTrendPoint {
  /** Start of the bucket, ISO 8601. */
  t: string;
  /** Samples in the bucket. */
  total: number;
  /** Share met in percent; null for a bucket without samples (or before the SLA's window). */
  percentMet: number | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
interface Bucket {
  total: number;
  met: number;
  worst: number;
}

/**
 * Service levels per interface: each sample is one message (receipt → delivered on a channel's
 * destination) or one process instance (fed by `recordSlaSample`), kept in minute buckets over
 * the SLA's window.
 *
 * @example
 * const slas = new SlaTracker([{ name: 'adt-to-erp', channel: 'adt', within: 900_000, target: 99, window: 86_400_000 }]);
 * slas.attach(signals);
 * slas.report(); // [{ name: 'adt-to-erp', percentMet: 100, ok: true, ... }]
 */
export class SlaTracker {
  private readonly defs = new Map<string, SlaDefinition>();
  private readonly buckets = new Map<string, Map<number, Bucket>>();

  constructor(
    definitions: readonly SlaDefinition[],
    private readonly now: () => number = Date.now,
  ) {
    for (const d of definitions) this.defs.set(d.name, d);
  }

  /** Measure every delivery the signals see against the SLAs of its channel (and destination). */
  attach(signals: EngineSignals): void {
    signals.onDelivery((s) => this.onDelivery(s));
  }

  /**
   * Feed one sample from elsewhere (a process step: discharge → charge). `met` defaults to
   * `ms <= within`. Unknown names throw `sla.unknown`.
   *
   * @example slas.recordSlaSample('discharge-to-charge', 8 * 60_000);
   */
  recordSlaSample(name: string, ms: number, met?: boolean): void {
    const def = this.defs.get(name);
    if (!def) throw new LoomError('sla.unknown', `No SLA named "${name}"`, { location: name, hint: 'declare it in the slas list of loom.config.yaml' });
    this.add(def, ms, met ?? ms <= def.within);
  }

  /**
   * Feed one sample a process recorded: it counts for every SLA whose `measure` (and `process`,
   * when set) match. Returns how many SLAs it counted for.
   *
   * @example slas.recordProcessSample({ process: 'discharge-charge', measure: 'discharge-to-charge', durationMs: 480_000 });
   */
  recordProcessSample(sample: { process: string; measure: string; durationMs: number }): number {
    let counted = 0;
    for (const d of this.defs.values()) {
      if (d.measure !== sample.measure || (d.process !== undefined && d.process !== sample.process)) continue;
      this.add(d, sample.durationMs, sample.durationMs <= d.within);
      counted++;
    }
    return counted;
  }

  report(): SlaReport[] {
    return [...this.defs.values()].map((d) => this.reportOne(d));
  }

  /**
   * Percent met per `bucketMs` (default: an hour) over the last `buckets` of them (default 24),
   * oldest first, the newest holding now; buckets are aligned to multiples of `bucketMs` since the
   * epoch, so the SLAs share one time axis. Buckets without samples, or older than the SLA's
   * window, are null. Reads the minute buckets once: O(minutes in the window). `[]` for an
   * unknown name.
   *
   * @example slas.trend('adt-to-erp') // [{ t: '2026-03-03T11:00:00.000Z', total: 0, percentMet: null }, …, { t: …, total: 412, percentMet: 99.76 }]
   */
  trend(name: string, bucketMs = HOUR, buckets = 24): SlaTrendPoint[] {
    const d = this.defs.get(name);
    if (!d) return [];
    const step = Math.max(MINUTE, Math.floor(bucketMs / MINUTE) * MINUTE);
    const count = Math.max(1, Math.floor(buckets));
    const end = Math.floor(this.now() / step) * step;
    const first = end - (count - 1) * step;
    const from = Math.floor((this.now() - d.window) / MINUTE) * MINUTE; // as report(): the window's minutes
    const total = new Array<number>(count).fill(0);
    const met = new Array<number>(count).fill(0);
    for (const [start, b] of this.buckets.get(name) ?? []) {
      if (start < from || start < first) continue;
      const i = Math.floor((start - first) / step);
      if (i >= count) continue;
      total[i] = (total[i] as number) + b.total;
      met[i] = (met[i] as number) + b.met;
    }
    return total.map((n, i) => ({
      t: new Date(first + i * step).toISOString(),
      total: n,
      percentMet: n === 0 ? null : Math.round(((met[i] as number) / n) * 10_000) / 100,
    }));
  }

  get(name: string): SlaReport | undefined {
    const d = this.defs.get(name);
    return d ? this.reportOne(d) : undefined;
  }

  private onDelivery(s: DeliverySample): void {
    for (const d of this.defs.values()) {
      if (d.channel !== s.channel) continue;
      if (d.destination !== undefined && d.destination !== s.destination) continue;
      this.add(d, s.latencyMs, s.latencyMs <= d.within);
    }
  }

  private add(d: SlaDefinition, ms: number, met: boolean): void {
    const start = Math.floor(this.now() / MINUTE) * MINUTE;
    let series = this.buckets.get(d.name);
    if (!series) this.buckets.set(d.name, (series = new Map()));
    let b = series.get(start);
    if (!b) {
      series.set(start, (b = { total: 0, met: 0, worst: 0 }));
      for (const k of series.keys()) if (k < start - d.window) series.delete(k);
    }
    b.total++;
    if (met) b.met++;
    b.worst = Math.max(b.worst, ms);
  }

  private reportOne(d: SlaDefinition): SlaReport {
    const from = Math.floor((this.now() - d.window) / MINUTE) * MINUTE;
    let total = 0;
    let met = 0;
    let worst = -1;
    for (const [start, b] of this.buckets.get(d.name) ?? []) {
      if (start < from) continue;
      total += b.total;
      met += b.met;
      worst = Math.max(worst, b.worst);
    }
    const percentMet = total === 0 ? null : Math.round((met / total) * 10_000) / 100;
    return {
      name: d.name,
      ...(d.description ? { description: d.description } : {}),
      ...(d.channel ? { channel: d.channel } : {}),
      ...(d.destination ? { destination: d.destination } : {}),
      ...(d.measure ? { measure: d.measure } : {}),
      ...(d.process ? { process: d.process } : {}),
      withinMs: d.within,
      target: d.target,
      windowMs: d.window,
      total,
      met,
      percentMet,
      ok: percentMet === null ? null : percentMet >= d.target,
      worstMs: worst < 0 ? null : Math.round(worst),
    };
  }
}
