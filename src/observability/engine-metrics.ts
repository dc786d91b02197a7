import type { LoomMetrics } from './metrics.js';

/**
 * The engine events metrics listen to, structurally (the engine's `EngineEvents` fits), so
 * observability does not import the engine.
 */
interface Delivery {
  channel: string;
  destination: string;
  durationMs: number;
}

export interface EngineEventSource {
  on(event: 'received', listener: (e: { channel: string }) => void): unknown;
  on(event: 'acked', listener: (e: { channel: string; outcome: 'accepted' | 'duplicate' | 'rejected'; latencyMs: number }) => void): unknown;
  on(event: 'rejected' | 'duplicate', listener: (e: { channel: string }) => void): unknown;
  on(event: 'processed', listener: (e: { channel: string; status: 'processed' | 'failed' }) => void): unknown;
  on(event: 'step', listener: (e: { channel: string; step: string; durationMs: number }) => void): unknown;
  on(event: 'delivered' | 'retried' | 'deadLettered' | 'parked', listener: (e: Delivery) => void): unknown;
  on(event: 'breakerOpened' | 'breakerClosed', listener: (e: { channel: string; destination: string }) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * Count engine events into `metrics`. Returns a function that detaches the listeners.
 *
 * @example const detach = attachEngineMetrics(metrics, engine.events);
 */
export function attachEngineMetrics(metrics: LoomMetrics, events: EngineEventSource): () => void {
  // In flight = accepted and not yet processed. Tracked per channel and floored at 0: split
  // children are processed without an intake of their own.
  const inFlight = new Map<string, number>();
  const move = (channel: string, delta: number) => {
    const next = Math.max(0, (inFlight.get(channel) ?? 0) + delta);
    inFlight.set(channel, next);
    metrics.inFlight.set({ channel }, next);
  };
  const count = (channel: string, status: string) => metrics.messages.inc({ channel, status });
  const delivery = (outcome: string) => (e: Delivery) => {
    metrics.deliveries.inc({ channel: e.channel, destination: e.destination, outcome });
    if (outcome === 'delivered') metrics.deliveryLatency.observe({ channel: e.channel, destination: e.destination }, e.durationMs / 1000);
  };
  const listeners = {
    received: (e: { channel: string }) => count(e.channel, 'received'),
    acked: (e: { channel: string; outcome: string; latencyMs: number }) => {
      metrics.ackLatency.observe({ channel: e.channel }, e.latencyMs / 1000);
      if (e.outcome === 'accepted') {
        count(e.channel, 'acked');
        move(e.channel, 1);
      }
    },
    rejected: (e: { channel: string }) => count(e.channel, 'rejected'),
    duplicate: (e: { channel: string }) => count(e.channel, 'duplicate'),
    processed: (e: { channel: string; status: string }) => {
      count(e.channel, e.status === 'failed' ? 'failed' : 'processed');
      move(e.channel, -1);
    },
    step: (e: { channel: string; step: string; durationMs: number }) =>
      metrics.stepDuration.observe({ channel: e.channel, step: e.step }, e.durationMs / 1000),
    delivered: delivery('delivered'),
    retried: delivery('retried'),
    deadLettered: delivery('dead_lettered'),
    parked: delivery('parked'),
    breakerOpened: (e: { channel: string; destination: string }) => metrics.breakerOpen.set(e, 1),
    breakerClosed: (e: { channel: string; destination: string }) => metrics.breakerOpen.set(e, 0),
  };
  for (const [event, listener] of Object.entries(listeners)) (events.on as (e: string, l: unknown) => unknown)(event, listener);
  return () => {
    for (const [event, listener] of Object.entries(listeners)) events.off(event, listener as (...args: never[]) => void);
  };
}
