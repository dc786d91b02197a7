import { type Tracer, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from '../kernel/index.js';
import { loomIdGenerator } from './tracing.js';

/** `observability.tracing.otlp` of loom.config.yaml, validated. */
export interface OtlpTracingOptions {
  /** Collector base URL (`/v1/traces` appended) or the full traces URL. */
  endpoint: string;
  headers?: Record<string, string>;
  serviceName?: string;
  /** Export request timeout, ms. */
  timeout?: number;
  /** Batch delay, ms (tests shorten it). */
  scheduledDelayMillis?: number;
}

export interface RunningTracing {
  /** Whether an SDK tracer provider was registered (false: tracing is off, spans are no-ops). */
  enabled: boolean;
  /** Loom's tracer; the global one (`loomTracer()`) resolves to the same provider when Loom registered it. */
  tracer: Tracer;
  /** Flush pending spans to the collector and unregister the provider. */
  shutdown(): Promise<void>;
}

/** `http://c:4318` → `http://c:4318/v1/traces`; a URL already ending in `/v1/traces` stays. */
export function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (!/\/v1\/traces\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

/**
 * Turn on OTLP trace export when configured: a BasicTracerProvider with a BatchSpanProcessor and
 * an OTLP/HTTP (JSON) exporter, resource `service.name`, async-local-storage context, and
 * `loomIdGenerator` (so messages without a `traceparent` export under their derived trace id).
 * Without options nothing is registered and `shutdown()` does nothing.
 *
 * @example
 * const tracing = startTracing(config.observability?.tracing?.otlp, logger);
 * // … on stop: await tracing.shutdown();
 */
export function startTracing(options: OtlpTracingOptions | undefined, logger?: Logger): RunningTracing {
  if (!options) return { enabled: false, tracer: trace.getTracer('loom'), shutdown: async () => undefined };
  const url = tracesUrl(options.endpoint);
  const exporter = new OTLPTraceExporter({ url, headers: { ...options.headers }, timeoutMillis: options.timeout ?? 10_000 });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'loom' }),
    idGenerator: loomIdGenerator,
    spanProcessors: [new BatchSpanProcessor(exporter, options.scheduledDelayMillis !== undefined ? { scheduledDelayMillis: options.scheduledDelayMillis } : {})],
  });
  // Only one global provider per process: when one is there already (the host application's own
  // SDK), Loom's spans still go through Loom's provider and exporter, and the global one is left alone.
  const registered = trace.setGlobalTracerProvider(provider);
  const contextManager = registered ? new AsyncLocalStorageContextManager().enable() : undefined;
  const ownsContext = contextManager ? context.setGlobalContextManager(contextManager) : false;
  if (contextManager && !ownsContext) contextManager.disable();
  if (!registered) logger?.warn({ url }, 'another OpenTelemetry tracer provider is registered: Loom exports its own spans but leaves it in place');
  logger?.info({ url, serviceName: options.serviceName ?? 'loom' }, 'OTLP trace export on');
  let stopping: Promise<void> | undefined;
  return {
    enabled: true,
    tracer: provider.getTracer('loom'),
    shutdown: () =>
      (stopping ??= (async () => {
        try {
          await provider.shutdown(); // flushes the batch processor, then the exporter
        } catch (err) {
          logger?.warn({ err, url }, 'OTLP trace export: flush on shutdown failed');
        }
        if (registered) trace.disable();
        if (ownsContext) context.disable();
      })()),
  };
}
