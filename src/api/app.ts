import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { LoomError, toLoomError } from '../kernel/index.js';
import { actorOf, newRouter, type ApiServices } from './context.js';
import { problem } from './problem.js';
import { channelRoutes } from './routes/channels.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { messageRoutes } from './routes/messages.js';
import { processRoutes } from './routes/processes.js';
import { alertRoutes } from './routes/alerts.js';
import { slaRoutes } from './routes/slas.js';
import { crosswalkRoutes } from './routes/crosswalks.js';
import { auditRoutes } from './routes/audit.js';
import { releaseRoutes } from './routes/releases.js';
import { catalogRoutes } from './routes/catalog.js';
import { contractRoutes } from './routes/contracts.js';
import { shadowRoutes } from './routes/shadow.js';
import { systemApiRoutes } from './routes/system-apis.js';
import type { CrosswalkRepository } from '../crosswalks/index.js';
import { fhirRoutes, type FhirRepository } from '../fhir-server/index.js';
import type { AlertEvaluator, SlaTracker } from '../observability/index.js';

export interface ApiOptions extends ApiServices {
  /** Prometheus text exposition for `/metrics`. */
  metrics?: { contentType: string; render(): Promise<string> };
  /** Fetch-style handlers of HTTP inbound channels, mounted at POST /api/v1/channels/{name}/messages. */
  httpIntake?: ReadonlyMap<string, (request: Request) => Promise<Response>>;
  /** The web console (static SPA), mounted at `/`. */
  console?: { fetch(request: Request): Response | Promise<Response> };
  /** Alert rules, firing alerts and SLA attainment (`/api/v1/alerts`, `/api/v1/slas`). */
  observability?: { alerts: AlertEvaluator; slas: SlaTracker };
  /** Loom's FHIR store, served at /fhir/R4. */
  fhir?: FhirRepository;
  /** Versioned crosswalk tables (`/api/v1/crosswalks`). */
  crosswalks?: CrosswalkRepository;
  /** Readiness beyond liveness: store open, channels started. */
  ready(): boolean;
}

function statsRoutes(services: ApiServices) {
  const app = newRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/throughput',
      summary: 'Received, delivered and failed messages and delivery latency p50/p95 per bucket over the last minutes',
      request: { query: z.object({ minutes: z.coerce.number().int().min(1).max(60).default(15) }) },
      responses: {
        200: {
          description: 'throughput buckets, oldest first',
          content: {
            'application/json': {
              schema: z.object({
                bucketSeconds: z.number(),
                buckets: z.array(
                  z.object({
                    t: z.string(),
                    received: z.number(),
                    delivered: z.number(),
                    failed: z.number(),
                    p50Ms: z.number().nullable().openapi({ description: 'median receipt → delivered latency, ms (log-histogram bin upper bound); null without deliveries' }),
                    p95Ms: z.number().nullable().openapi({ description: '95th percentile receipt → delivered latency, ms (bin upper bound); null without deliveries' }),
                  }),
                ),
              }),
            },
          },
        },
      },
    }),
    (c) => {
      const { minutes } = c.req.valid('query');
      return c.json({ bucketSeconds: services.throughput.bucketSeconds, buckets: services.throughput.series(minutes) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/config/reload',
      summary: 'Re-read loom.config.yaml and apply changed channels without a restart or dropping in-flight messages',
      responses: {
        200: {
          description: 'channels added, changed and removed',
          content: { 'application/json': { schema: z.object({ added: z.array(z.string()), changed: z.array(z.string()), removed: z.array(z.string()) }) } },
        },
      },
    }),
    async (c) => {
      if (!services.reload) {
        throw new LoomError('config.reload.unavailable', 'this engine was started without a config file', { hint: 'start it with --config FILE' });
      }
      const who = actorOf(c.req.raw.headers);
      try {
        const diff = await services.reload(who);
        await services.audit?.append({ ...who, action: 'config.reload', target: 'config', detail: diff });
        return c.json(diff, 200);
      } catch (error) {
        const e = toLoomError(error);
        await services.audit?.append({ ...who, action: 'config.reload-failed', target: 'config', detail: { code: e.code, message: e.message } });
        throw error;
      }
    },
  );
  return app;
}

/**
 * The HTTP face of Loom: `/api/v1/...` (OpenAPI at `/api/v1/openapi.json`), `/metrics`,
 * `/healthz`, `/readyz`, HTTP inbound channels, and the console at `/`.
 */
export function createApiApp(options: ApiOptions): OpenAPIHono {
  const app = newRouter();
  app.onError((error, c) => problem(c, error));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => (options.ready() ? c.json({ status: 'ready' }) : c.json({ status: 'starting' }, 503)));
  if (options.metrics) {
    const metrics = options.metrics;
    app.get('/metrics', async (c) => c.body(await metrics.render(), 200, { 'content-type': metrics.contentType }));
  }

  const v1 = newRouter();
  v1.route('/', channelRoutes(options));
  v1.route('/', messageRoutes(options));
  v1.route('/', deadLetterRoutes(options));
  v1.route('/', statsRoutes(options));
  if (options.processes) v1.route('/', processRoutes(options.processes));
  if (options.crosswalks) v1.route('/', crosswalkRoutes(options.crosswalks, options.audit));
  if (options.audit) v1.route('/', auditRoutes(options.audit));
  if (options.releases) v1.route('/', releaseRoutes(options.releases, options));
  if (options.catalog) v1.route('/', catalogRoutes(options.catalog));
  if (options.contracts) v1.route('/', contractRoutes(options.contracts));
  if (options.shadow) v1.route('/', shadowRoutes(options.shadow));
  if (options.systemApis) v1.route('/', systemApiRoutes(options.systemApis));
  if (options.observability) {
    v1.route('/', alertRoutes(options.observability));
    v1.route('/', slaRoutes(options.observability));
  }
  v1.post('/channels/:name/messages', (c) => {
    const name = c.req.param('name');
    const handler = options.httpIntake?.get(name);
    if (!handler) {
      throw new LoomError('channel.unknown', `No HTTP inbound channel named "${name}"`, {
        location: name,
        hint: 'declare the channel with `inbound: {kind: http}` in loom.config.yaml',
      });
    }
    return handler(c.req.raw);
  });
  v1.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'Loom API', version: '1' } });
  app.route('/api/v1', v1);

  if (options.fhir) app.route('/', fhirRoutes(options.fhir));

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/') || !options.console) {
      return problem(c, new LoomError('api.not-found', `no route ${c.req.method} ${c.req.path}`, { hint: 'see /api/v1/openapi.json' }));
    }
    return options.console.fetch(c.req.raw);
  });
  return app;
}
