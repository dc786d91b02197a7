import { createRoute, z } from '@hono/zod-openapi';
import type { ShadowRecorder } from '../../modernization/index.js';
import { LoomError } from '../../kernel/index.js';
import { newRouter } from '../context.js';
import { problem } from '../problem.js';

const STATUSES = ['loom-only', 'legacy-only', 'match', 'differ'] as const;
const Counts = z.object({ channel: z.string(), 'loom-only': z.number(), 'legacy-only': z.number(), match: z.number(), differ: z.number() });
const Row = z.object({
  channel: z.string(), destination: z.string(), key: z.string().openapi({ description: 'the message key both outputs carry (MSH-10 by default)' }),
  status: z.enum(STATUSES), loomPayload: z.string().optional(), legacyPayload: z.string().optional(), loomAt: z.string().optional(), legacyAt: z.string().optional(),
  differences: z.array(z.object({ path: z.string(), loom: z.string().optional(), legacy: z.string().optional() })), updatedAt: z.string(),
});
const Params = z.object({ channel: z.string().min(1), destination: z.string().min(1) });

/**
 * `/shadow`: shadow runs. A channel with `shadow:` records what its destinations would receive;
 * the legacy engine posts what it sent for the same input; each pair is compared field by field.
 *
 * @example v1.route('/', shadowRoutes(recorder));
 */
export function shadowRoutes(shadow: ShadowRecorder) {
  const app = newRouter();
  app.onError((error, c) => problem(c, error, error instanceof LoomError && error.code === 'shadow.channel.unknown' ? { status: 404 } : {}));
  app.openapi(
    createRoute({
      method: 'get', path: '/shadow', summary: 'Shadowed channels with their counts: matched, differing, only in Loom, only in the legacy engine',
      responses: { 200: { description: 'one entry per shadowed channel that has recorded outputs', content: { 'application/json': { schema: z.object({ items: z.array(Counts) }) } } } },
    }),
    async (c) => c.json({ items: await shadow.summary() }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/shadow/{channel}', summary: "A shadowed channel's compared outputs, newest first, with their differences",
      request: { params: z.object({ channel: z.string().min(1) }), query: z.object({ status: z.enum(STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: { description: 'compared outputs', content: { 'application/json': { schema: z.object({ channel: z.string(), items: z.array(Row) }) } } } },
    }),
    async (c) => {
      const { channel } = c.req.valid('param');
      shadow.channel(channel); // 404 for a channel not in a shadow run
      const query = c.req.valid('query');
      return c.json({ channel, items: await shadow.list(channel, { limit: query.limit, ...(query.status ? { status: query.status } : {}) }) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/shadow/{channel}/legacy/{destination}',
      summary: 'The legacy engine posts what it sent to one destination (the raw message as the body); Loom compares it with its own output',
      request: { params: Params, body: { content: { 'text/plain': { schema: z.string() }, 'application/json': { schema: z.unknown() } }, required: true } },
      responses: { 202: { description: 'recorded; the comparison when Loom has its side', content: { 'application/json': { schema: Row.pick({ key: true, status: true, differences: true }) } } } },
    }),
    async (c) => {
      const { channel, destination } = c.req.valid('param');
      const body = await c.req.raw.text();
      if (body.trim() === '') throw new LoomError('shadow.legacy.empty', 'the body is empty', { hint: 'post the message the legacy engine sent, as it sent it' });
      const row = await shadow.record('legacy', channel, destination, body);
      return c.json({ key: row.key, status: row.status, differences: row.differences }, 202);
    },
  );
  return app;
}
