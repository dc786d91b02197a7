import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { LoomError } from '../../kernel/index.js';
import type { SystemApiGateway } from '../../system-apis/index.js';
import { actorOf, newRouter } from '../context.js';
import { problem } from '../problem.js';

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  'system-api.unknown': 404,
  'system-api.path.not-allowed': 404,
  'system-api.backend.unreachable': 502,
  'system-api.backend.refused': 502,
  'system-api.backend.failed': 502,
  'system-api.backend.timeout': 504,
};

const Description = z.object({
  name: z.string(), description: z.string().optional(), system: z.string(),
  allow: z.array(z.string()).openapi({ description: 'sub-paths served; * is one path segment' }),
  cached: z.boolean(), invalidatedBy: z.array(z.string()).openapi({ description: 'channels whose processed messages empty the cache' }),
});
const Passthrough = { description: "the backend's answer as it sent it (JSON or FHIR JSON); `x-loom-cache` says hit, miss or off", content: { 'application/json': { schema: z.unknown() } } };
const Problem = { description: 'problem+json: unknown API or path (404), backend unreachable, refusing or failing (502), timed out (504)' };

/**
 * `/system`: system APIs. Each fronts one backend's read API (the ERP's suppliers, the EHR's FHIR
 * reads) with Loom's authentication in front, the backend's credential behind, a cache and usage
 * per consumer on /metrics.
 *
 * @example v1.route('/', systemApiRoutes(() => gateway));
 */
export function systemApiRoutes(gateway: () => SystemApiGateway) {
  const app = newRouter();
  app.onError((error, c) => problem(c, error, error instanceof LoomError && STATUS_BY_CODE[error.code] ? { status: STATUS_BY_CODE[error.code] } : {}));
  const answer = async (c: Context, name: string, path: string[]): Promise<Response> => {
    const query = new URL(c.req.url).searchParams;
    const served = await gateway().read(name, path, query, actorOf(c.req.raw.headers).actor);
    return new Response(served.body, { status: served.status, headers: { 'content-type': served.contentType, 'x-loom-cache': served.cache } });
  };
  app.openapi(
    createRoute({
      method: 'get', path: '/system', summary: 'The system APIs Loom serves: backend, paths, cache',
      responses: { 200: { description: 'one entry per configured system API', content: { 'application/json': { schema: z.object({ items: z.array(Description) }) } } } },
    }),
    (c) => c.json({ items: gateway().describe() }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/system/{api}', summary: "Read a system API's base resource (a list or search) from its backend",
      request: { params: z.object({ api: z.string().min(1) }) },
      responses: { 200: Passthrough, 404: Problem, 502: Problem, 504: Problem },
    }),
    (c) => answer(c, c.req.valid('param').api, []) as never,
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/system/{api}/{path}',
      summary: 'Read below a system API (an id, or a FHIR `Type/id`: the path may hold several segments)',
      request: { params: z.object({ api: z.string().min(1), path: z.string().min(1).openapi({ description: 'one of the paths the API allows; slashes allowed' }) }) },
      responses: { 200: Passthrough, 404: Problem, 502: Problem, 504: Problem },
    }),
    (c) => answer(c, c.req.valid('param').api, [c.req.valid('param').path]) as never,
  );
  // The documented route above takes one segment; FHIR reads (`Patient/123`) need more.
  app.get('/system/:api/:path{.+}', (c) => answer(c, c.req.param('api'), c.req.param('path').split('/')));
  app.openapi(
    createRoute({
      method: 'post', path: '/system/{api}/cache/invalidate', summary: "Empty a system API's cache (after a backend change Loom could not see)",
      request: { params: z.object({ api: z.string().min(1) }) },
      responses: { 200: { description: 'emptied', content: { 'application/json': { schema: z.object({ api: z.string(), invalidated: z.literal(true) }) } } }, 404: Problem },
    }),
    (c) => {
      const { api } = c.req.valid('param');
      if (!gateway().describe().some((d) => d.name === api)) throw new LoomError('system-api.unknown', `no system API "${api}"`, { hint: 'GET /api/v1/system lists them' });
      gateway().invalidate(api);
      return c.json({ api, invalidated: true as const }, 200);
    },
  );
  return app;
}
