import { Counter, Histogram, type Registry } from 'prom-client';
import type { SystemApiUsage } from './gateway.js';

/**
 * Usage of the system APIs per consumer on `/metrics`:
 * `loom_system_api_requests_total{api,consumer,cache,status}` and the backend's latency.
 *
 * @example new SystemApiGateway(apis, { onUsage: systemApiMetrics(metrics.registry) })
 */
export function systemApiMetrics(registry: Registry): (usage: SystemApiUsage) => void {
  const requests = new Counter({
    name: 'loom_system_api_requests_total',
    help: 'System API calls by API, consumer (the authenticated identity), cache outcome (hit, miss, off, error) and status.',
    labelNames: ['api', 'consumer', 'cache', 'status'],
    registers: [registry],
  });
  const backend = new Histogram({
    name: 'loom_system_api_backend_seconds',
    help: 'Time a system API waited for its backend (cache misses).',
    labelNames: ['api'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (usage) => {
    requests.inc({ api: usage.api, consumer: usage.consumer, cache: usage.cache, status: String(usage.status) });
    if (usage.backendMs !== undefined) backend.observe({ api: usage.api }, usage.backendMs / 1000);
  };
}
