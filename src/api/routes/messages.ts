import { createRoute, z } from '@hono/zod-openapi';
import type { MessageDetail, MessageStatus, StoredMessage } from '../../kernel/store.js';
import { LoomError } from '../../kernel/index.js';
import { actorOf, newRouter, type ApiServices } from '../context.js';
import { notFound } from '../problem.js';

const statuses = ['received', 'processing', 'processed', 'rejected', 'duplicate', 'failed'] as const satisfies readonly MessageStatus[];

const MessageSummary = z
  .object({
    id: z.string(),
    channel: z.string(),
    status: z.string(),
    receivedAt: z.string(),
    contentType: z.string(),
    controlId: z.string().optional(),
    messageType: z.string().optional(),
    sourceSystem: z.string(),
    correlationId: z.string(),
    error: z.string().optional(),
  })
  .openapi('MessageSummary');

const SearchQuery = z.object({
  q: z.string().optional().openapi({ description: 'business key: control id, MRN, visit, PO, invoice, GTIN, lot, serial' }),
  channel: z.string().optional(),
  status: z.enum(statuses).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  correlationId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});

const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

function summary(m: StoredMessage): z.infer<typeof MessageSummary> {
  return {
    id: m.envelope.id,
    channel: m.envelope.channel,
    status: m.status,
    receivedAt: m.envelope.receivedAt,
    contentType: m.envelope.contentType,
    sourceSystem: m.envelope.sourceSystem,
    correlationId: m.envelope.correlationId,
    ...(m.controlId ? { controlId: m.controlId } : {}),
    ...(m.messageType ? { messageType: m.messageType } : {}),
    ...(m.error ? { error: m.error } : {}),
  };
}

function detail(m: MessageDetail) {
  const text = Buffer.from(m.payload).toString('utf8');
  return {
    message: {
      ...summary(m),
      causationId: m.envelope.causationId,
      headers: m.envelope.headers,
      payloadText: text,
      keys: Object.fromEntries(m.keys.map((k) => [k.name, k.value])),
    },
    steps: m.steps,
    deliveries: m.deliveries.map((d) => ({
      id: d.id,
      destination: d.destination,
      status: d.status,
      attempts: d.attempts,
      idempotencyKey: d.idempotencyKey,
      ...(d.lastError ? { lastError: d.lastError } : {}),
      ...(d.deliveredAt ? { deliveredAt: new Date(d.deliveredAt).toISOString() } : {}),
    })),
    lineage: m.lineage.filter((id) => id !== m.envelope.id).map((id) => ({ id, relation: 'caused-by' as const })),
    edits: m.edits.map((e) => ({ id: e.id, actor: e.actor, createdAt: new Date(e.createdAt).toISOString(), note: e.note })),
  };
}

export function messageRoutes(services: ApiServices) {
  const app = newRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/messages',
      summary: 'Search messages by business key, channel, status, time and correlation id (newest first)',
      request: { query: SearchQuery },
      responses: {
        200: {
          description: 'a page of messages',
          content: { 'application/json': { schema: z.object({ items: z.array(MessageSummary), nextCursor: z.string().optional() }) } },
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await services.engine.search({
        ...(q.q ? { q: q.q } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.from ? { from: Date.parse(q.from) } : {}),
        ...(q.to ? { to: Date.parse(q.to) } : {}),
        ...(q.correlationId ? { correlationId: q.correlationId } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
        limit: q.limit,
      });
      return c.json({ items: page.items.map(summary), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/messages/{id}',
      summary: 'One message: payload, steps with timings, deliveries, lineage, edits',
      request: { params: IdParam },
      responses: { 200: { description: 'the message', content: { 'application/json': { schema: z.looseObject({}) } } } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const found = await services.engine.show(id);
      if (!found) throw notFound('message', id);
      return c.json(detail(found), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/messages/{id}/replay',
      summary: 'Replay a message through its channel, or resend it to one destination; effects keep their idempotency keys unless asNew',
      request: {
        params: IdParam,
        body: {
          required: false,
          content: { 'application/json': { schema: z.object({ destination: z.string().optional(), asNew: z.boolean().optional(), note: z.string().optional() }) } },
        },
      },
      responses: { 200: { description: 'the new message or outbox id', content: { 'application/json': { schema: z.looseObject({}) } } } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {};
      const who = { ...actorOf(c.req.raw.headers), asNew: body.asNew === true, ...(body.note ? { note: body.note } : {}) };
      if (body.destination) return c.json({ outboxId: await services.engine.resend(id, body.destination, who) }, 200);
      return c.json({ messageId: await services.engine.replay(id, who) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/messages/{id}/edit-and-resend',
      summary: 'Store an edited payload beside the original (never overwriting it) and run it as a new message',
      request: {
        params: IdParam,
        body: { content: { 'application/json': { schema: z.object({ payload: z.string().min(1), note: z.string().optional(), asNew: z.boolean().optional() }) } } },
      },
      responses: { 200: { description: 'the new message id', content: { 'application/json': { schema: z.object({ messageId: z.string() }) } } } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      if (!body.note) {
        throw new LoomError('api.request.invalid', 'an edit needs a note saying why', { location: 'note', hint: 'add {"note": "..."}' });
      }
      const messageId = await services.engine.editAndResend(id, Buffer.from(body.payload, 'utf8'), {
        ...actorOf(c.req.raw.headers),
        note: body.note,
        asNew: body.asNew === true,
      });
      return c.json({ messageId }, 200);
    },
  );

  return app;
}
