/**
 * Simulated time for a scenario: starts at a given instant and runs `speed` times faster than the
 * wall clock (speed 1440 plays a 24-hour day in one minute). `speed: Infinity` never waits.
 *
 * @example
 * const clock = new ScenarioClock({ start: '2026-03-02T06:00:00Z', speed: 3600 });
 * await clock.waitUntil('2026-03-02T07:00:00Z'); // about one real second later
 */
export interface ScenarioClockOptions {
  /** ISO instant the simulated day starts at. */
  start: string;
  /** Simulated seconds per real second; default 60. */
  speed?: number;
}

export class ScenarioClock {
  readonly startMs: number;
  readonly speed: number;
  private readonly realStart = Date.now();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** When speed is infinite the clock jumps to whatever instant was last waited for. */
  private jumped = 0;

  constructor(options: ScenarioClockOptions) {
    this.startMs = Date.parse(options.start);
    if (Number.isNaN(this.startMs)) throw new RangeError(`ScenarioClock start "${options.start}" is not an ISO instant`);
    this.speed = options.speed ?? 60;
    if (!(this.speed > 0)) throw new RangeError(`ScenarioClock speed must be > 0, got ${this.speed}`);
  }

  /** Current simulated time. */
  now(): Date {
    if (!Number.isFinite(this.speed)) return new Date(this.startMs + this.jumped);
    return new Date(this.startMs + (Date.now() - this.realStart) * this.speed);
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  /** Real milliseconds until the simulated instant (0 when it has passed). */
  realDelayUntil(instant: string | Date): number {
    const target = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
    if (!Number.isFinite(this.speed)) return 0;
    return Math.max(0, (target - this.now().getTime()) / this.speed);
  }

  /** Resolve when the simulated clock reaches the instant. */
  waitUntil(instant: string | Date): Promise<void> {
    const target = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
    if (!Number.isFinite(this.speed)) {
      this.jumped = Math.max(this.jumped, target - this.startMs);
      return Promise.resolve();
    }
    const delay = this.realDelayUntil(new Date(target));
    if (delay <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.timers.delete(t); resolve(); }, delay);
      this.timers.add(t);
    });
  }

  /** Cancel pending waits (their promises never resolve); used on stop. */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
