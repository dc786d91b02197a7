import type { Channel, Destination } from './api.js';

export type Health = 'ok' | 'degraded' | 'down';

const rank: Record<Health, number> = { ok: 0, degraded: 1, down: 2 };

/** The worse of several health states. */
export function worst(states: Health[]): Health {
  return states.reduce<Health>((a, b) => (rank[b] > rank[a] ? b : a), 'ok');
}

/** Share of received messages that were rejected, failed or dead-lettered. */
export function errorRate(ch: Channel): number {
  const c = ch.counts;
  if (c.received <= 0) return 0;
  return (c.rejected + c.failed + c.deadLettered) / c.received;
}

/** A destination is down when its circuit is open, degraded when half-open or holding dead letters. */
export function destinationHealth(d: Destination): Health {
  if (d.circuit === 'open') return 'down';
  if (d.circuit === 'half-open' || (d.dead ?? 0) > 0) return 'degraded';
  return 'ok';
}

/**
 * A channel's health from its error rate and its destinations' circuits: down at 20% errors or
 * any open circuit; degraded at 2% errors, a half-open circuit, or when paused (nothing flows).
 *
 * @example
 * channelHealth(ch); // 'degraded'
 */
export function channelHealth(ch: Channel): Health {
  const rate = errorRate(ch);
  const dest = worst(ch.destinations.map(destinationHealth));
  if (rate >= 0.2 || dest === 'down') return 'down';
  if (rate >= 0.02 || dest === 'degraded' || ch.status === 'paused') return 'degraded';
  return 'ok';
}

/** Sum of the destinations' outbox depths, or undefined when the engine reports none of them. */
export function outboxDepth(ch: Channel): number | undefined {
  const known = ch.destinations.map((d) => d.pending).filter((n): n is number => n !== undefined);
  return known.length ? known.reduce((a, b) => a + b, 0) : undefined;
}
