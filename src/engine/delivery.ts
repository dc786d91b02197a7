import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { LoomError, toLoomError, type Clock, type DeliveryResult } from '../kernel/index.js';
import type { DestinationRef, OutboxRow, Store } from '../kernel/store.js';
import type { DeliveryInfo, EngineEvents } from './events.js';
import type { BreakerPolicy, DestinationDefinition, RetryPolicy } from './types.js';

export const defaultRetry: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000 };
export const defaultBreaker: BreakerPolicy = { threshold: 5, cooldownMs: 10_000 };

/** Exponential backoff with jitter: base·2^(attempt−1), capped, then scaled by a random 50–100 %. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.5 + random() * 0.5));
}

/** Transient failure, counted by the circuit breaker (permanent 4xx/AR are not: the peer is up). */
class Transient extends Error {
  constructor(readonly result: Extract<DeliveryResult, { status: 'retry' }>) {
    super(result.error.message);
  }
}

/** Breaker state of one destination as operators name it. */
export type CircuitStatus = 'closed' | 'open' | 'half-open';

/** One destination's delivery state as this process has seen it since start. */
export interface DestinationTally {
  circuit: CircuitStatus;
  /** Outbox rows claimed and not finished: in flight or waiting for a retry. */
  pending: number;
  delivered: number;
  dead: number;
  /** Age of the oldest pending row (since it entered the outbox), 0 when none: for queue-age alerts. */
  oldestPendingMs: number;
}

export interface ResolvedDestination {
  def: DestinationDefinition;
  ordered: boolean;
}

/**
 * Delivers due outbox rows: bounded concurrency, per-destination circuit breaker,
 * retry with backoff, then DeadLetterChannel (unordered) or park the key (ordered).
 * Woken by new outbox rows and by a timer at the next due retry.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly breakers = new Map<string, { policy: CircuitBreakerPolicy; conf: BreakerPolicy }>();
  private readonly tallies = new Map<string, { pending: Map<string, number>; delivered: number; dead: number }>();
  /** Destinations whose circuit opened, until when: their rows are not claimed meanwhile. */
  private readonly holds = new Map<string, number>();
  /** Which target the next claim starts with: turns, so one destination's backlog cannot starve the others. */
  private turn = 0;
  private pumping = false;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly resolve: (channel: string, destination: string) => ResolvedDestination | undefined,
    /** Destinations configured now: rows of removed ones wait in the outbox and do not crowd the claim. */
    private readonly destinations: () => DestinationRef[],
    private readonly events: EngineEvents,
    private readonly clock: Clock,
    private readonly concurrency: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Ask for a pump soon (coalesced). */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.again = false;
        const room = this.concurrency - this.inFlight.size;
        // claim in chunks: one query per quarter of the window, not one per finished delivery
        if (room <= 0 || this.stopped || (room < this.concurrency / 4 && this.inFlight.size > 0)) break;
        const rows = await this.store.claimDue(this.clock.now(), room, new Set(this.inFlight.keys()), this.targets(this.clock.now()));
        const busyKeys = new Set<string>();
        for (const row of rows) {
          const dest = this.resolve(row.channel, row.destination);
          if (!dest) continue; // channel or destination removed by reload: the row waits for it to return
          if (row.orderingKey) {
            const k = `${row.channel}\u0000${row.destination}\u0000${row.orderingKey}`;
            if (busyKeys.has(k)) continue;
            busyKeys.add(k);
          }
          // A store that cannot record the outcome (disk full) must not crash the process: the row
          // stays pending in the journal and is delivered again (same idempotency key) later.
          const p = this.attempt(row, dest).catch((error: unknown) => {
            this.events.emit('error', toLoomError(error, 'delivery.record', `${row.channel} -> ${row.destination}`));
          }).finally(() => {
            this.inFlight.delete(row.id);
            this.wake();
          });
          this.inFlight.set(row.id, p);
        }
      } while (this.again && !this.stopped);
    } catch (error) {
      this.events.emit('error', toLoomError(error, 'delivery.pump'));
    } finally {
      this.pumping = false;
    }
    if (this.again) this.wake();
    else await this.armTimer();
  }

  /**
   * The destinations to claim for now, starting at a different one each time: all configured ones
   * but those whose circuit is open (held until its cooldown ends, when a trial call may go).
   */
  private targets(now: number): DestinationRef[] {
    const all = this.destinations().filter((t) => {
      const key = `${t.channel}/${t.destination}`;
      const until = this.holds.get(key);
      if (until === undefined) return true;
      if (until > now) return false;
      this.holds.delete(key);
      return true;
    });
    const start = all.length > 0 ? this.turn++ % all.length : 0;
    return [...all.slice(start), ...all.slice(0, start)];
  }

  private async armTimer(): Promise<void> {
    // while attempts are in flight, each one wakes the pump when it ends: no timer needed
    if (this.stopped || this.inFlight.size > 0) return;
    const next = await this.store.nextDueAt(this.targets(this.clock.now())).catch(() => undefined);
    const holdEnds = Math.min(...this.holds.values());
    if (this.timer) clearTimeout(this.timer);
    // also poll once a second, so rows whose destination came back after a reload move on
    const delay = Math.min(1000, Math.max(0, Math.min(next ?? Infinity, holdEnds) - this.clock.now()));
    this.timer = setTimeout(() => this.wake(), delay);
    this.timer.unref();
  }

  private breaker(channel: string, dest: DestinationDefinition): CircuitBreakerPolicy {
    const key = `${channel}/${dest.name}`;
    const conf = { ...defaultBreaker, ...dest.breaker };
    const existing = this.breakers.get(key);
    if (existing && existing.conf.threshold === conf.threshold && existing.conf.cooldownMs === conf.cooldownMs) return existing.policy;
    const policy = circuitBreaker(handleWhen((e) => e instanceof Transient), {
      halfOpenAfter: conf.cooldownMs,
      breaker: new ConsecutiveBreaker(conf.threshold),
    });
    policy.onBreak(() => {
      // hold the destination for the cooldown: its backlog stays in the store, unread, until a trial call may go
      this.holds.set(key, this.clock.now() + conf.cooldownMs);
      this.events.emit('breakerOpened', { channel, destination: dest.name });
    });
    policy.onReset(() => {
      this.holds.delete(key);
      this.events.emit('breakerClosed', { channel, destination: dest.name });
    });
    this.breakers.set(key, { policy, conf });
    return policy;
  }

  /**
   * Circuit state and counts of one destination since this process started (the console's
   * health map). Counts restart at zero with the process; the store keeps the durable history.
   *
   * @example dispatcher.destinationStatus('adt', 'erp') // { circuit: 'closed', pending: 0, delivered: 12, dead: 1 }
   */
  destinationStatus(channel: string, destination: string): DestinationTally {
    const tally = this.tallies.get(`${channel}/${destination}`);
    const state = this.breakers.get(`${channel}/${destination}`)?.policy.state;
    // Isolated (manual) counts as open: nothing is delivered.
    const circuit: CircuitStatus = state === undefined || state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
    let oldest = Infinity;
    for (const createdAt of tally?.pending.values() ?? []) oldest = Math.min(oldest, createdAt);
    const oldestPendingMs = oldest === Infinity ? 0 : Math.max(0, this.clock.now() - oldest);
    return { circuit, pending: tally?.pending.size ?? 0, delivered: tally?.delivered ?? 0, dead: tally?.dead ?? 0, oldestPendingMs };
  }

  private tally(row: OutboxRow, outcome: 'claimed' | 'delivered' | 'dead' | 'parked'): void {
    const key = `${row.channel}/${row.destination}`;
    let t = this.tallies.get(key);
    if (!t) this.tallies.set(key, (t = { pending: new Map(), delivered: 0, dead: 0 }));
    if (outcome === 'claimed') {
      t.pending.set(row.id, row.createdAt);
      return;
    }
    t.pending.delete(row.id);
    if (outcome === 'delivered') t.delivered++;
    else if (outcome === 'dead') t.dead++;
  }

  private async attempt(row: OutboxRow, dest: ResolvedDestination): Promise<void> {
    this.tally(row, 'claimed');
    const retry = { ...defaultRetry, ...dest.def.retry };
    const attempt = row.attempts + 1;
    const breaker = this.breaker(row.channel, dest.def);
    const t0 = performance.now();
    let result: DeliveryResult;
    try {
      result = await breaker.execute(async () => {
        let r: DeliveryResult;
        try {
          r = await dest.def.connector.deliver({
            messageId: row.messageId, destination: row.destination, idempotencyKey: row.idempotencyKey, payload: row.payload,
            contentType: row.contentType, headers: row.headers, attempt,
          });
        } catch (e) {
          r = { status: 'retry', error: toLoomError(e, 'delivery.connector-threw', row.destination) };
        }
        if (r.status === 'retry') throw new Transient(r);
        return r;
      });
    } catch (e) {
      if (e instanceof BrokenCircuitError) {
        // not attempted: come back after the cooldown without spending an attempt
        const conf = { ...defaultBreaker, ...dest.def.breaker };
        await this.store.markRetry(row.id, row.attempts, this.clock.now() + conf.cooldownMs, 'circuit open');
        return;
      }
      result = e instanceof Transient ? e.result : { status: 'retry', error: toLoomError(e, 'delivery.unexpected', row.destination) };
    }
    const info: DeliveryInfo = {
      channel: row.channel, destination: row.destination, messageId: row.messageId, outboxId: row.id, attempt, durationMs: performance.now() - t0,
      ...(row.headers.traceparent ? { traceparent: row.headers.traceparent } : {}),
      ...(row.messageReceivedAt !== undefined ? { receivedAt: row.messageReceivedAt } : {}),
    };
    if (result.status === 'delivered') {
      await this.store.markDelivered(row.id, this.clock.now(), result.response);
      this.tally(row, 'delivered');
      this.events.emit('delivered', info);
      return;
    }
    if (result.status === 'retry' && attempt < retry.maxAttempts) {
      await this.store.markRetry(row.id, attempt, this.clock.now() + backoffDelay(attempt, retry), result.error.describe());
      this.events.emit('retried', { ...info, error: result.error });
      return;
    }
    const error = result.status === 'failed' ? result.error : new LoomError('delivery.exhausted', `gave up after ${attempt} attempts: ${result.error.message}`, { location: row.destination, cause: result.error });
    if (dest.ordered && row.orderingKey) {
      await this.store.park(row.id, attempt, { code: error.code, message: error.message }, this.clock.now());
      this.tally(row, 'parked');
      this.events.emit('parked', { ...info, orderingKey: row.orderingKey, error });
    } else {
      const dl = await this.store.markDead(row.id, attempt, { code: error.code, message: error.message }, this.clock.now());
      this.tally(row, 'dead');
      this.events.emit('deadLettered', { ...info, deadLetterId: dl.id, error });
    }
  }

  /** Stop claiming; resolve when in-flight attempts have been recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  get active(): number {
    return this.inFlight.size;
  }
}
