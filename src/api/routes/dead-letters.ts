import { createRoute, z } from '@hono/zod-openapi';
import type { DeadLetter } from '../../kernel/store.js';
import { actorOf, newRouter, type ApiServices } from '../context.js';

const DeadLetterSchema = z
  .object({
    id: z.string(),
    messageId: z.string(),
    channel: z.string(),
    destination: z.string(),
    code: z.string(),
    reason: z.string(),
    createdAt: z.string(),
    discarded: z.boolean(),
    discardReason: z.string().optional(),
    replayedAt: z.string().optional(),
  })
  .openapi('DeadLetter');

const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

function view(d: DeadLetter): z.infer<typeof DeadLetterSchema> {
  return {
    id: d.id,
    messageId: d.messageId,
    channel: d.channel,
    destination: d.destination,
    code: d.code,
    reason: d.reason,
    createdAt: new Date(d.createdAt).toISOString(),
    discarded: d.discarded,
    ...(d.discardReason ? { discardReason: d.discardReason } : {}),
    ...(d.replayedAt ? { replayedAt: new Date(d.replayedAt).toISOString() } : {}),
  };
}

export function deadLetterRoutes(services: ApiServices) {
  const app = newRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/dead-letters',
      summary: 'Dead letters (newest first); discarded ones only with includeDiscarded=true',
      request: {
        query: z.object({
          channel: z.string().optional(),
          includeDiscarded: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().optional(),
        }),
      },
      responses: {
        200: {
          description: 'a page of dead letters',
          content: { 'application/json': { schema: z.object({ items: z.array(DeadLetterSchema), nextCursor: z.string().optional() }) } },
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await services.engine.listDeadLetters({
        ...(q.channel ? { channel: q.channel } : {}),
        includeDiscarded: q.includeDiscarded === 'true',
        ...(q.cursor ? { cursor: q.cursor } : {}),
        limit: q.limit,
      });
      return c.json({ items: page.items.map(view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/dead-letters/{id}/replay',
      summary: 'Put a dead letter back on its outbox (same idempotency key) for delivery now',
      request: { params: IdParam },
      responses: { 200: { description: 'requeued', content: { 'application/json': { schema: z.object({ id: z.string(), requeued: z.boolean() }) } } } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await services.engine.replayDeadLetter(id, actorOf(c.req.raw.headers));
      return c.json({ id, requeued: true }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/dead-letters/{id}/discard',
      summary: 'Discard a dead letter with a reason (kept for audit until retention)',
      request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ reason: z.string().min(1) }) } } } },
      responses: { 200: { description: 'discarded', content: { 'application/json': { schema: z.object({ id: z.string(), discarded: z.boolean() }) } } } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      await services.engine.discardDeadLetter(id, reason, actorOf(c.req.raw.headers));
      return c.json({ id, discarded: true }, 200);
    },
  );

  return app;
}
