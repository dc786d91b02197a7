import type { LeaseManager, Logger } from '../kernel/index.js';

export interface SingletonOptions {
  /** Lease name, e.g. `process-sweep`. */
  name: string;
  /** How often the task runs while this node holds the lease. */
  everyMs: number;
  task: () => Promise<unknown>;
}

interface Running { options: SingletonOptions; held: boolean; lastRun: number; busy: boolean; working: boolean; timer: NodeJS.Timeout }

/**
 * Runs singletons (process timer sweep, retention, partner overdue-ACK checks, recon schedules)
 * on exactly one node: each keeps its lease (`ttlMs`) renewed every third of the TTL and runs its
 * task only while held. A node that dies stops renewing; after the TTL another node's next
 * attempt takes the lease (bumping its fencing token) and the task runs there.
 *
 * @example
 * const singletons = new Singletons(leases, 'node-a', { ttlMs: 15_000, logger });
 * singletons.run({ name: 'process-sweep', everyMs: 5000, task: () => manager.sweep() });
 */
export class Singletons {
  private readonly running = new Map<string, Running>();
  private readonly ttlMs: number;
  private readonly logger: Logger | undefined;

  constructor(private readonly leases: LeaseManager, readonly nodeId: string, options: { ttlMs?: number; logger?: Logger } = {}) {
    this.ttlMs = options.ttlMs ?? 15_000;
    this.logger = options.logger;
  }

  /** Start keeping `options.name` and running its task while held. */
  run(options: SingletonOptions): void {
    if (this.running.has(options.name)) throw new Error(`singleton ${options.name} runs already`);
    const tickMs = Math.max(50, Math.min(options.everyMs, Math.floor(this.ttlMs / 3)));
    const entry: Running = { options, held: false, lastRun: 0, busy: false, working: false, timer: setInterval(() => void this.tick(entry), tickMs) };
    entry.timer.unref();
    this.running.set(options.name, entry);
    void this.tick(entry);
  }

  /** True while this node holds the lease of `name`. */
  holds(name: string): boolean {
    return this.running.get(name)?.held ?? false;
  }

  private async tick(entry: Running): Promise<void> {
    if (entry.busy) return;
    entry.busy = true;
    const { name } = entry.options;
    try {
      const was = entry.held;
      entry.held = was ? await this.leases.renew(name, this.nodeId, this.ttlMs) : (await this.leases.tryAcquire(name, this.nodeId, this.ttlMs)) !== undefined;
      if (entry.held !== was) this.logger?.info({ lease: name, node: this.nodeId, held: entry.held }, entry.held ? 'lease acquired' : 'lease lost');
      // the task runs beside the renewals, so a long sweep does not let the lease lapse
      if (entry.held && !entry.working && Date.now() - entry.lastRun >= entry.options.everyMs) {
        entry.lastRun = Date.now();
        entry.working = true;
        entry.options.task().catch((error: unknown) => this.logger?.warn({ lease: name, node: this.nodeId, err: error }, 'singleton task failed'))
          .finally(() => { entry.working = false; });
      }
    } catch (error) {
      // the lease store unreachable: we cannot know we still hold it, so stop acting as holder
      entry.held = false;
      this.logger?.warn({ lease: name, node: this.nodeId, err: error }, 'singleton tick failed');
    } finally {
      entry.busy = false;
    }
  }

  /** Stop every singleton and release the leases this node holds (a graceful hand-over; `release: false` lets them lapse). */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    const entries = [...this.running.values()];
    this.running.clear();
    for (const e of entries) clearInterval(e.timer);
    if (options.release === false) return;
    await Promise.allSettled(entries.filter((e) => e.held).map((e) => this.leases.release(e.options.name, this.nodeId)));
  }
}
