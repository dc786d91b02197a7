import { createRoute, z } from '@hono/zod-openapi';
import type { SlaTracker } from '../../observability/index.js';
import { newRouter } from '../context.js';

const SlaSchema = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    channel: z.string().optional(),
    destination: z.string().optional(),
    measure: z.string().optional(),
    process: z.string().optional(),
    withinMs: z.number(),
    target: z.number(),
    windowMs: z.number(),
    total: z.number(),
    met: z.number(),
    percentMet: z.number().nullable(),
    ok: z.boolean().nullable(),
    worstMs: z.number().nullable(),
    trend: z
      .array(z.object({ t: z.string(), total: z.number(), percentMet: z.number().nullable() }))
      .openapi({ description: 'percent met per hour over the last 24 h (oldest first); null for hours without samples or before the window' }),
  })
  .openapi('Sla');

/**
 * `GET /slas`: each SLA with the share of samples met over its window, and its hourly trend.
 *
 * @example v1.route('/', slaRoutes({ slas: observability.slas }));
 */
export function slaRoutes(services: { slas: SlaTracker }) {
  const app = newRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/slas',
      summary: 'Service levels per interface: share of messages (or process instances) within the limit',
      responses: { 200: { description: 'SLAs', content: { 'application/json': { schema: z.object({ items: z.array(SlaSchema) }) } } } },
    }),
    (c) => c.json({ items: services.slas.report().map((r) => ({ ...r, trend: services.slas.trend(r.name) })) }, 200),
  );
  return app;
}
