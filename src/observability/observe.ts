import path from 'node:path';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from '../kernel/index.js';
import { AlertEvaluator } from './alerts/evaluator.js';
import type { FetchLike } from './alerts/notify.js';
import type { ChannelState } from './alerts/rules.js';
import { parseAlertRules, parseSlas } from './alerts/schema.js';
import { EngineSignals, type SignalEventSource } from './signals.js';
import { SlaTracker } from './slas.js';
import { type TraceEventSource, traceEngine } from './tracing-engine.js';

export interface ObservabilityOptions {
  /** `engine.events`. */
  events: SignalEventSource & TraceEventSource;
  /** `() => engine.channelStatus()`. */
  channels: () => Promise<ChannelState[]>;
  /** The config's `alerts:` list (validated here). */
  alerts?: readonly unknown[];
  /** SLA definitions (a `slas:` list, validated here). */
  slas?: readonly unknown[];
  /** History goes to `<dataDir>/alerts.jsonl` when set. */
  dataDir?: string;
  intervalMs?: number;
  logger?: Logger;
  fetch?: FetchLike;
  now?: () => number;
  /** Message spans go here (default: the global `loom` tracer; `startTracing(...).tracer` when OTLP is on). */
  tracer?: Tracer;
}

export interface RunningObservability {
  signals: EngineSignals;
  slas: SlaTracker;
  alerts: AlertEvaluator;
  /** Feed a process SLA sample (discharge → charge); `met` defaults to `ms <= within`. */
  recordSlaSample(name: string, ms: number, met?: boolean): void;
  stop(): Promise<void>;
}

/**
 * Wire signals, SLAs, alert evaluation and message spans onto a running engine.
 *
 * @example
 * const obs = startObservability({ events: engine.events, channels: () => engine.channelStatus(), alerts: config.alerts, dataDir: config.store.dataDir, logger });
 * // mount alertRoutes({ alerts: obs.alerts }) and slaRoutes({ slas: obs.slas }); on shutdown: await obs.stop()
 */
export function startObservability(options: ObservabilityOptions): RunningObservability {
  const rules = parseAlertRules(options.alerts ?? []);
  const signals = new EngineSignals(options.now);
  const detachSignals = signals.attach(options.events);
  const slas = new SlaTracker(parseSlas(options.slas ?? []), options.now);
  slas.attach(signals);
  const detachTraces = traceEngine(options.events, options.tracer);
  const alerts = new AlertEvaluator({
    rules,
    channels: options.channels,
    signals,
    slas,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.dataDir ? { historyFile: path.join(options.dataDir, 'alerts.jsonl') } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  alerts.start();
  return {
    signals,
    slas,
    alerts,
    recordSlaSample: (name, ms, met) => slas.recordSlaSample(name, ms, met),
    stop: async () => {
      await alerts.stop();
      detachSignals();
      detachTraces();
    },
  };
}
