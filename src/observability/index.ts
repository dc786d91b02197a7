/** Observability: JSON logs with PHI redaction, Prometheus metrics and their engine adapter. */
export { type LogLevel, type LoggerOptions, type LoomLogger, createLogger } from './logger.js';
export { DEFAULT_REDACT, REDACTED, type Redactor, createRedactor, scrubText, toPinoPaths } from './redact.js';
export { type DeliveryOutcome, type LoomMetrics, type MessageStatus, type MetricsOptions, createMetrics } from './metrics.js';
export { type EngineEventSource, attachEngineMetrics } from './engine-metrics.js';
