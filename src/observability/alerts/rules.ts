import type { SlaReport } from '../slas.js';
import type { ChannelCounts } from '../signals.js';
import { type AlertRule, inSchedule } from './schema.js';

/** What the evaluator knows about one channel at a tick (the engine's `channelStatus()` fits). */
export interface ChannelState {
  name: string;
  paused: boolean;
  destinations?: Array<{ name: string; oldestPendingMs?: number; pending?: number }>;
}

/** Everything a rule can look at during one evaluation. */
export interface AlertSnapshot {
  now: number;
  /** When measuring started (no-messages waits this long before it can fire). */
  since: number;
  channels: ChannelState[];
  counts(channel: string | undefined, windowMs: number): ChannelCounts;
  lastReceivedAt(channel: string): number | undefined;
  sla(name: string): SlaReport | undefined;
}

/** A rule's verdict: firing with a message and the measured value, or quiet. */
export type Verdict = { firing: true; message: string; value: number } | { firing: false; value?: number; note?: string };

const quiet = (value?: number, note?: string): Verdict => ({ firing: false, ...(value !== undefined ? { value } : {}), ...(note ? { note } : {}) });

/**
 * Judge one rule against a snapshot. Pure: no clock, no I/O.
 *
 * @example checkRule({ name: 'r', kind: 'channel-stopped', channel: 'adt', severity: 'critical', notify: [] }, snapshot)
 */
export function checkRule(rule: AlertRule, s: AlertSnapshot): Verdict {
  switch (rule.kind) {
    case 'channel-stopped': {
      const c = s.channels.find((x) => x.name === rule.channel);
      if (!c) return { firing: true, value: 1, message: `channel ${rule.channel} is not running: it is not in the configuration` };
      return c.paused ? { firing: true, value: 1, message: `channel ${rule.channel} is paused` } : quiet(0);
    }
    case 'no-messages': {
      if (!inSchedule(rule.schedule, new Date(s.now))) return quiet(undefined, 'outside schedule');
      const last = s.lastReceivedAt(rule.channel) ?? s.since;
      const idleMinutes = (s.now - last) / 60_000;
      if (idleMinutes < rule.minutes) return quiet(idleMinutes);
      const lastText = s.lastReceivedAt(rule.channel) === undefined ? 'nothing since start' : `last at ${new Date(last).toISOString()}`;
      return { firing: true, value: idleMinutes, message: `no messages on ${rule.channel} for ${Math.floor(idleMinutes)} min (limit ${rule.minutes}; ${lastText})` };
    }
    case 'error-rate': {
      const c = s.counts(rule.channel, rule.window);
      if (c.received < rule.minMessages) return quiet(undefined, `${c.received} messages in window, below minMessages`);
      const rate = (c.failed / c.received) * 100;
      if (rate <= rule.above) return quiet(rate);
      return { firing: true, value: rate, message: `${rate.toFixed(1)} % of ${c.received} messages failed on ${rule.channel ?? 'all channels'} over ${Math.round(rule.window / 60_000)} min (limit ${rule.above} %)` };
    }
    case 'queue-age': {
      let worst = 0;
      let where = '';
      for (const c of s.channels) {
        if (rule.channel !== undefined && c.name !== rule.channel) continue;
        for (const d of c.destinations ?? []) {
          if (rule.destination !== undefined && d.name !== rule.destination) continue;
          if ((d.oldestPendingMs ?? 0) > worst) {
            worst = d.oldestPendingMs ?? 0;
            where = `${c.name} → ${d.name}`;
          }
        }
      }
      const seconds = worst / 1000;
      if (seconds <= rule.seconds) return quiet(seconds);
      return { firing: true, value: seconds, message: `oldest pending delivery ${where} waits ${Math.round(seconds)} s (limit ${rule.seconds} s)` };
    }
    case 'dead-letters': {
      const n = s.counts(rule.channel, rule.window).deadLettered;
      if (n <= rule.above) return quiet(n);
      return { firing: true, value: n, message: `${n} dead letters on ${rule.channel ?? 'all channels'} over ${Math.round(rule.window / 60_000)} min (limit ${rule.above})` };
    }
    case 'sla-breach': {
      const r = s.sla(rule.sla);
      if (!r) return quiet(undefined, `SLA ${rule.sla} is not defined`);
      const floor = rule.below ?? r.target;
      if (r.percentMet === null) return quiet(undefined, 'no samples yet');
      if (r.percentMet >= floor) return quiet(r.percentMet);
      return { firing: true, value: r.percentMet, message: `SLA ${rule.sla}: ${r.percentMet} % met of ${r.total} (target ${floor} %)` };
    }
    case 'recon-leakage':
      // Arrives with the reconcile module: until it reports leakage, this rule cannot judge.
      return quiet(undefined, 'waiting for reconciliation results');
  }
}
