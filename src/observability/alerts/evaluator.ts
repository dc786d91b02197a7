import { appendFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { LoomError, type Logger } from '../../kernel/index.js';
import type { EngineSignals } from '../signals.js';
import type { SlaTracker } from '../slas.js';
import { type AlertEvent, type FetchLike, sendNotification } from './notify.js';
import { type ChannelState, checkRule } from './rules.js';
import type { AlertRule } from './schema.js';

/** A history line: a transition, a silence, or a failed notification. */
export interface AlertHistoryEntry {
  at: string;
  name: string;
  event: 'firing' | 'resolved' | 'silenced' | 'notify-failed';
  severity?: string;
  message: string;
  /** Firing/resolved while silenced: recorded, not sent. */
  notified?: boolean;
}

export interface FiringAlert {
  name: string;
  kind: string;
  severity: AlertEvent['severity'];
  state: 'firing';
  since: string;
  message: string;
  value?: number;
  silencedUntil?: string;
}

export interface AlertView {
  rules: Array<AlertRule & { state: 'firing' | 'ok'; silencedUntil?: string; silenceReason?: string; note?: string; value?: number }>;
  firing: FiringAlert[];
  history: AlertHistoryEntry[];
}

export interface AlertEvaluatorOptions {
  rules: AlertRule[];
  /** Current channel state (engine.channelStatus()). */
  channels: () => Promise<ChannelState[]>;
  signals: EngineSignals;
  slas: SlaTracker;
  intervalMs?: number;
  /** Kept in memory, newest last. Default 500. */
  historyLimit?: number;
  /** Append history as JSON lines here (e.g. `<dataDir>/alerts.jsonl`); earlier lines are read at start. */
  historyFile?: string;
  logger?: Logger;
  fetch?: FetchLike;
  now?: () => number;
}

/**
 * Evaluates alert rules every `intervalMs` against engine state and traffic signals, notifies
 * on transitions (firing, resolved) unless silenced, and keeps a bounded history.
 *
 * @example
 * const alerts = new AlertEvaluator({ rules, channels: () => engine.channelStatus(), signals, slas });
 * alerts.start();
 */
export class AlertEvaluator {
  private readonly state = new Map<string, FiringAlert>();
  private readonly notes = new Map<string, { note?: string; value?: number }>();
  private readonly silences = new Map<string, { until: number; reason: string; actor: string }>();
  private readonly history: AlertHistoryEntry[] = [];
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly startedAt: number;

  constructor(private readonly options: AlertEvaluatorOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    if (options.historyFile && existsSync(options.historyFile)) {
      const lines = readFileSync(options.historyFile, 'utf8').split('\n').filter(Boolean).slice(-this.limit);
      for (const line of lines) {
        try {
          this.history.push(JSON.parse(line) as AlertHistoryEntry);
        } catch {
          // a torn last line after a crash: skip it
        }
      }
    }
  }

  private get limit(): number {
    return this.options.historyLimit ?? 500;
  }

  start(): void {
    const interval = this.options.intervalMs ?? 15_000;
    this.timer = setInterval(() => void this.evaluate(), interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One evaluation of every rule (the timer calls this; tests call it directly). Runs are not concurrent. */
  evaluate(): Promise<void> {
    this.running ??= this.tick().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Silence a rule for `minutes`: it keeps being evaluated and recorded, but sends nothing.
   *
   * @example alerts.silence('adt-quiet', 60, 'EHR maintenance window', 'ops')
   */
  silence(name: string, minutes: number, reason: string, actor: string): { until: string } {
    if (!this.options.rules.some((r) => r.name === name)) {
      throw new LoomError('alert.unknown', `No alert rule named "${name}"`, { location: name, hint: 'GET /api/v1/alerts lists the rules' });
    }
    const until = this.now() + minutes * 60_000;
    this.silences.set(name, { until, reason, actor });
    this.record({ at: new Date(this.now()).toISOString(), name, event: 'silenced', message: `silenced for ${minutes} min by ${actor}: ${reason}` });
    return { until: new Date(until).toISOString() };
  }

  /** Whether a rule of that name exists. */
  has(name: string): boolean {
    return this.options.rules.some((r) => r.name === name);
  }

  view(): AlertView {
    const silence = (name: string) => {
      const s = this.silences.get(name);
      return s && s.until > this.now() ? s : undefined;
    };
    return {
      rules: this.options.rules.map((r) => {
        const s = silence(r.name);
        const n = this.notes.get(r.name);
        return {
          ...r,
          state: this.state.has(r.name) ? ('firing' as const) : ('ok' as const),
          ...(s ? { silencedUntil: new Date(s.until).toISOString(), silenceReason: s.reason } : {}),
          ...(n?.note ? { note: n.note } : {}),
          ...(n?.value !== undefined ? { value: n.value } : {}),
        };
      }),
      firing: [...this.state.values()].map((f) => {
        const s = silence(f.name);
        return s ? { ...f, silencedUntil: new Date(s.until).toISOString() } : f;
      }),
      history: [...this.history],
    };
  }

  private async tick(): Promise<void> {
    const now = this.now();
    let channels: ChannelState[];
    try {
      channels = await this.options.channels();
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'alert evaluation skipped: channel state unavailable');
      return;
    }
    const { signals, slas } = this.options;
    const snapshot = {
      now,
      since: this.startedAt,
      channels,
      counts: signals.counts.bind(signals),
      lastReceivedAt: signals.lastReceivedAt.bind(signals),
      sla: (name: string) => slas.get(name),
    };
    const sends: Promise<void>[] = [];
    for (const rule of this.options.rules) {
      const verdict = checkRule(rule, snapshot);
      this.notes.set(rule.name, verdict.firing ? { value: verdict.value } : { note: verdict.note, value: verdict.value });
      const current = this.state.get(rule.name);
      if (verdict.firing && !current) {
        const alert: FiringAlert = { name: rule.name, kind: rule.kind, severity: rule.severity, state: 'firing', since: new Date(now).toISOString(), message: verdict.message, value: verdict.value };
        this.state.set(rule.name, alert);
        sends.push(this.transition(rule, { ...alert, at: alert.since }));
      } else if (verdict.firing && current) {
        current.message = verdict.message;
        current.value = verdict.value;
      } else if (!verdict.firing && current) {
        this.state.delete(rule.name);
        const at = new Date(now).toISOString();
        sends.push(this.transition(rule, { name: rule.name, kind: rule.kind, severity: rule.severity, state: 'resolved', since: current.since, at, message: `resolved: ${current.message}` }));
      }
    }
    await Promise.all(sends);
  }

  private async transition(rule: AlertRule, event: AlertEvent): Promise<void> {
    const silenced = (this.silences.get(rule.name)?.until ?? 0) > this.now();
    this.record({ at: event.at, name: rule.name, event: event.state, severity: rule.severity, message: event.message, notified: !silenced && rule.notify.length > 0 });
    const log = event.state === 'firing' ? this.options.logger?.warn : this.options.logger?.info;
    log?.call(this.options.logger, { alert: rule.name, kind: rule.kind, severity: rule.severity, silenced }, event.message);
    if (silenced) return;
    const errors = await Promise.all(rule.notify.map((t) => sendNotification(t, event, this.options.fetch)));
    for (const e of errors) {
      if (e) this.record({ at: new Date(this.now()).toISOString(), name: rule.name, event: 'notify-failed', message: e });
    }
  }

  private record(entry: AlertHistoryEntry): void {
    this.history.push(entry);
    if (this.history.length > this.limit) this.history.splice(0, this.history.length - this.limit);
    const file = this.options.historyFile;
    if (!file) return;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      appendFileSync(file, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      this.options.logger?.error({ err: error, file }, 'alert history not written');
    }
  }
}
