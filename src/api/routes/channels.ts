import { createRoute, z } from '@hono/zod-openapi';
import { LoomError } from '../../kernel/index.js';
import { actorOf, newRouter, type ApiServices } from '../context.js';

const ChannelSchema = z
  .object({
    name: z.string(),
    status: z.enum(['running', 'paused']),
    ordered: z.boolean(),
    sourceSystem: z.string(),
    inbound: z.object({ kind: z.string(), address: z.string() }).optional(),
    counts: z.record(z.string(), z.number()),
    /** Every message stored for the channel, whatever its status now. */
    received: z.number(),
    destinations: z.array(
      z.object({
        name: z.string(),
        kind: z.string(),
        circuit: z.enum(['closed', 'open', 'half-open']),
        pending: z.number(),
        delivered: z.number(),
        dead: z.number(),
        oldestPendingMs: z.number().optional(),
      }),
    ),
  })
  .openapi('Channel');

const NameParam = z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'ehr-adt' }) });

export function channelRoutes(services: ApiServices) {
  const app = newRouter();

  async function describe(name: string): Promise<z.infer<typeof ChannelSchema>> {
    const status = (await services.engine.channelStatus()).find((s) => s.name === name);
    if (!status) throw new LoomError('channel.unknown', `No channel named "${name}"`, { location: name, hint: 'GET /api/v1/channels lists them' });
    const description = services.describeChannel(name);
    return {
      name,
      status: status.paused ? 'paused' : 'running',
      ordered: status.ordered,
      sourceSystem: description?.sourceSystem ?? '',
      ...(description?.inbound ? { inbound: description.inbound } : {}),
      counts: status.counts,
      received: status.received,
      // Kind comes from the config; breaker state and counts (since start) from the engine.
      destinations: status.destinations.map((d) => ({
        ...d,
        kind: description?.destinations.find((c) => c.name === d.name)?.kind ?? 'unknown',
      })),
    };
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/channels',
      summary: 'Channels with status and message counts by status',
      responses: { 200: { description: 'channels', content: { 'application/json': { schema: z.object({ items: z.array(ChannelSchema) }) } } } },
    }),
    async (c) => {
      const names = (await services.engine.channelStatus()).map((s) => s.name);
      return c.json({ items: await Promise.all(names.map(describe)) }, 200);
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/channels/{name}/${action}`,
        summary: action === 'pause' ? 'Pause a channel: intake refuses new messages until resumed' : 'Resume a paused channel',
        request: { params: NameParam },
        responses: { 200: { description: 'the channel', content: { 'application/json': { schema: ChannelSchema } } } },
      }),
      async (c) => {
        const { name } = c.req.valid('param');
        await services.engine[action](name, actorOf(c.req.raw.headers));
        return c.json(await describe(name), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/channels/{name}/parked',
      summary: 'Ordering keys parked on an ordered channel (their later messages wait)',
      request: { params: NameParam },
      responses: { 200: { description: 'parked keys', content: { 'application/json': { schema: z.object({ items: z.array(z.looseObject({})) }) } } } },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      await describe(name);
      return c.json({ items: await services.engine.listParked(name) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/channels/{name}/parked/{key}/release',
      summary: 'Release a parked key: its messages resume in order',
      request: {
        params: NameParam.extend({ key: z.string() }),
        query: z.object({ destination: z.string() }),
      },
      responses: { 200: { description: 'rows resumed', content: { 'application/json': { schema: z.object({ resumed: z.number() }) } } } },
    }),
    async (c) => {
      const { name, key } = c.req.valid('param');
      const { destination } = c.req.valid('query');
      const resumed = await services.engine.releaseParked(name, destination, key, actorOf(c.req.raw.headers));
      return c.json({ resumed }, 200);
    },
  );

  return app;
}
