import { createRoute, z } from '@hono/zod-openapi';
import type { AlertEvaluator } from '../../observability/index.js';
import { actorOf, newRouter } from '../context.js';
import { notFound } from '../problem.js';

const HistorySchema = z.object({
  at: z.string(),
  name: z.string(),
  event: z.enum(['firing', 'resolved', 'silenced', 'notify-failed']),
  severity: z.string().optional(),
  message: z.string(),
  notified: z.boolean().optional(),
});
const FiringSchema = z.object({
  name: z.string(),
  kind: z.string(),
  severity: z.string(),
  state: z.literal('firing'),
  since: z.string(),
  message: z.string(),
  value: z.number().optional(),
  silencedUntil: z.string().optional(),
});
const AlertsSchema = z
  .object({ rules: z.array(z.looseObject({ name: z.string(), kind: z.string(), state: z.enum(['firing', 'ok']) })), firing: z.array(FiringSchema), history: z.array(HistorySchema) })
  .openapi('Alerts');

/**
 * `GET /alerts` (rules with their state, firing alerts, history) and
 * `POST /alerts/{name}/silence {minutes, reason}`.
 *
 * @example v1.route('/', alertRoutes({ alerts: observability.alerts }));
 */
export function alertRoutes(services: { alerts: AlertEvaluator }) {
  const app = newRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/alerts',
      summary: 'Alert rules with their state, the alerts firing now, and recent history',
      responses: { 200: { description: 'alerts', content: { 'application/json': { schema: AlertsSchema } } } },
    }),
    (c) => c.json(services.alerts.view(), 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/alerts/{name}/silence',
      summary: 'Silence a rule for some minutes: still evaluated and recorded, not notified',
      request: {
        params: z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'adt-quiet' }) }),
        body: { content: { 'application/json': { schema: z.object({ minutes: z.number().int().min(1).max(10_080), reason: z.string().min(1) }) } } },
      },
      responses: {
        404: { description: 'no rule of that name (problem+json, code api.not-found)' },
        200: { description: 'silenced until', content: { 'application/json': { schema: z.object({ name: z.string(), until: z.string() }) } } },
      },
    }),
    (c) => {
      const { name } = c.req.valid('param');
      const { minutes, reason } = c.req.valid('json');
      if (!services.alerts.has(name)) throw notFound('alert rule', name);
      const { until } = services.alerts.silence(name, minutes, reason, actorOf(c.req.raw.headers).actor);
      return c.json({ name, until }, 200);
    },
  );
  return app;
}
