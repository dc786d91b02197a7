import { createRoute, z } from '@hono/zod-openapi';
import type { ProcessManager } from '../../processes/index.js';
import { newRouter } from '../context.js';
import { notFound } from '../problem.js';

const statuses = ['open', 'waiting', 'completed', 'exception'] as const;

/**
 * Business state of durable processes (implant cases, replenishment, discharge checks):
 * which step each case is in and why it waits.
 */
export function processRoutes(processes: Pick<ProcessManager, 'listInstances' | 'getInstance' | 'countByStatus'>) {
  const app = newRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/processes',
      summary: 'Process instances by process, status or key (prefix with *), with their wait cause',
      request: {
        query: z.object({
          process: z.string().optional(),
          status: z.enum(statuses).optional(),
          key: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().optional(),
        }),
      },
      responses: {
        200: {
          description: 'a page of instances and counts by status',
          content: { 'application/json': { schema: z.object({ items: z.array(z.looseObject({})), nextCursor: z.string().optional(), counts: z.record(z.string(), z.number()) }) } },
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await processes.listInstances({
        ...(q.process ? { process: q.process } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.key ? { key: q.key } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
        limit: q.limit,
      });
      const counts = await processes.countByStatus(q.process);
      return c.json({ items: page.items as unknown as Array<Record<string, unknown>>, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), counts }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/processes/{id}',
      summary: 'One process instance: state, timeline of applied events, effects, wait cause',
      request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: { 200: { description: 'the instance', content: { 'application/json': { schema: z.looseObject({}) } } } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const instance = await processes.getInstance(id);
      if (!instance) throw notFound('process instance', id);
      return c.json(instance as unknown as Record<string, unknown>, 200);
    },
  );

  return app;
}
