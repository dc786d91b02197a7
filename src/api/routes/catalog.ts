import { createRoute, z } from '@hono/zod-openapi';
import { catalogCsv, catalogMarkdown, type CatalogEntry, type InterfaceCatalog } from '../../governance/catalog/index.js';
import { CATALOG_CRITICALITIES } from '../../governance/config.js';
import { LoomError } from '../../kernel/index.js';
import { actorOf, newRouter } from '../context.js';
import { problem } from '../problem.js';

const EntrySchema = z
  .object({
    id: z.string().min(1).openapi({ example: 'channel:ehr-hl7' }),
    kind: z.enum(['system', 'channel', 'destination', 'process']),
    name: z.string().min(1),
    source: z.string().openapi({ description: '`config`, or the import it came from' }),
    description: z.string().optional(),
    owner: z.string().optional(),
    protocol: z.string().optional(),
    direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
    criticality: z.enum(CATALOG_CRITICALITIES).optional(),
    dataClasses: z.array(z.string()),
    sla: z.string().optional(),
    dependsOn: z.array(z.string()).openapi({ description: 'entries it stops without' }),
    fedBy: z.array(z.string()).openapi({ description: 'entries that feed it: all down → it stops, some → degraded' }),
  })
  .openapi('CatalogEntry');
const ImpactSchema = z
  .object({
    system: z.string(),
    stopped: z.array(z.object({ id: z.string(), reason: z.string() })),
    degraded: z.array(z.object({ id: z.string(), reason: z.string() })),
  })
  .openapi('CatalogImpact');
const ImportSchema = z.object({
  source: z.string().min(1).openapi({ example: 'mirth:ADT-Inbound.xml' }),
  entries: z.array(EntrySchema.omit({ source: true }).extend({ dataClasses: z.array(z.string()).default([]), dependsOn: z.array(z.string()).default([]), fedBy: z.array(z.string()).default([]) })),
});

/**
 * `/catalog`: the interface catalog (config-derived plus imported entries) as JSON, Markdown or
 * CSV; `?down=<system>` adds which flows stop while that system is down; `POST /catalog/import`
 * replaces the entries of one import source.
 *
 * @example v1.route('/', catalogRoutes(catalog));
 */
export function catalogRoutes(catalog: InterfaceCatalog) {
  const app = newRouter();
  app.onError((error, c) => problem(c, error, error instanceof LoomError && error.code === 'catalog.system.unknown' ? { status: 404 } : {}));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/catalog',
      summary: 'Every system, channel, destination and process with owner, protocol, direction, criticality, data classes, SLA and dependencies',
      request: {
        query: z.object({
          down: z.string().optional().openapi({ description: 'a system name: also answer which flows stop while it is down', example: 'erp' }),
          format: z.enum(['json', 'markdown', 'csv']).default('json'),
        }),
      },
      responses: {
        200: {
          description: 'the catalog (with `impact` when `down` is given), or its Markdown or CSV report',
          content: {
            'application/json': { schema: z.object({ entries: z.array(EntrySchema), impact: ImpactSchema.optional() }) },
            'text/markdown': { schema: z.string() },
            'text/csv': { schema: z.string() },
          },
        },
      },
    }),
    async (c) => {
      const { down, format } = c.req.valid('query');
      const entries = await catalog.entries();
      if (format === 'markdown') return c.body(catalogMarkdown(entries), 200, { 'content-type': 'text/markdown; charset=utf-8' });
      if (format === 'csv') return c.body(catalogCsv(entries), 200, { 'content-type': 'text/csv; charset=utf-8' });
      return c.json({ entries, ...(down ? { impact: await catalog.impact(down) } : {}) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/catalog/import',
      summary: 'Replace the catalog entries of one import source (e.g. a Mirth Connect channel export); audited',
      request: { body: { content: { 'application/json': { schema: ImportSchema } }, required: true } },
      responses: { 200: { description: 'entries stored for the source', content: { 'application/json': { schema: z.object({ source: z.string(), entries: z.number() }) } } } },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const entries: CatalogEntry[] = body.entries.map((e) => ({ ...e, source: body.source }));
      return c.json({ source: body.source, entries: await catalog.import(body.source, entries, actorOf(c.req.raw.headers)) }, 200);
    },
  );
  return app;
}
