/** Observability: JSON logs with PHI redaction, Prometheus metrics, alerts, SLAs and traces. */
export { type LogLevel, type LoggerOptions, type LoomLogger, createLogger } from './logger.js';
export { DEFAULT_REDACT, REDACTED, type Redactor, createRedactor, scrubText, toPinoPaths } from './redact.js';
export { type DeliveryOutcome, type LoomMetrics, type MessageStatus, type MetricsOptions, createMetrics } from './metrics.js';
export { type EngineEventSource, attachEngineMetrics } from './engine-metrics.js';
export * from './alerts/index.js';
export { EngineSignals, type ChannelCounts, type DeliverySample, type SignalEventSource } from './signals.js';
export { SlaTracker, type SlaReport } from './slas.js';
export {
  contextFromTraceparent,
  formatTraceparent,
  injectTraceparent,
  loomIdGenerator,
  loomTracer,
  messageTraceId,
  newTraceparent,
  outboundTraceHeaders,
  parseTraceparent,
  startRootSpan,
  type TraceParent,
} from './tracing.js';
export { traceEngine, type TraceEventSource } from './tracing-engine.js';
export { type OtlpTracingOptions, type RunningTracing, startTracing } from './otlp.js';
export { startObservability, type ObservabilityOptions, type RunningObservability } from './observe.js';
export { sampleProcessMetrics, type ProcessMetricsSource } from './process-metrics.js';
