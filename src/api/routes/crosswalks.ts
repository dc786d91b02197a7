import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CrosswalkCsvInvalid, type CrosswalkRepository, type RowEdit } from '../../crosswalks/index.js';
import { toLoomError, type AuditSink } from '../../kernel/index.js';
import { actorOf, newRouter } from '../context.js';
import { problem } from '../problem.js';

const ChargeRowSchema = z.object({
  kind: z.literal('charge'),
  chargeCode: z.string(),
  itemId: z.string().optional(),
  glAccount: z.string(),
  costCenter: z.string().optional(),
  offsetAccount: z.string().optional(),
  description: z.string().optional(),
});
const CodeRowSchema = z.object({
  kind: z.literal('code'),
  sourceSystem: z.string(),
  sourceCode: z.string(),
  targetSystem: z.string(),
  targetCode: z.string(),
  description: z.string().optional(),
});
const RowSchema = z.discriminatedUnion('kind', [ChargeRowSchema, CodeRowSchema]).openapi('CrosswalkRow');
const InfoShape = {
  name: z.string(),
  version: z.string(),
  status: z.enum(['draft', 'published']),
  effectiveDate: z.string(),
  author: z.string(),
  note: z.string().optional(),
  createdAt: z.string(),
  publishedAt: z.string().optional(),
  publishedBy: z.string().optional(),
  rowCount: z.number(),
};
const InfoSchema = z.object(InfoShape).openapi('CrosswalkVersionInfo');
const DetailSchema = z.object({ ...InfoShape, rows: z.array(RowSchema) }).openapi('CrosswalkVersion');
const EditSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), row: RowSchema }),
  z.object({ op: z.literal('update'), key: z.string().openapi({ example: 'charge:278001' }), row: RowSchema }),
  z.object({ op: z.literal('delete'), key: z.string() }),
]);
const NameParam = z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'charge-codes' }) });
const VersionParams = NameParam.extend({ version: z.string().openapi({ param: { name: 'version', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

// Codes whose status differs from problem.ts's default 400 (not found, conflicts with a published version).
const statusByCode: Record<string, ContentfulStatusCode> = {
  'crosswalk.unknown': 404,
  'crosswalk.version.unknown': 404,
  'crosswalk.row.unknown': 404,
  'crosswalk.not-effective': 404,
  'crosswalk.version.exists': 409,
  'crosswalk.version.published': 409,
  'crosswalk.row.exists': 409,
  'crosswalk.csv.invalid': 422,
};

/** problem+json with the crosswalk statuses, plus the per-line `errors` of a rejected CSV import. */
function crosswalkProblem(error: unknown, c: Context): Response {
  const e = toLoomError(error);
  return problem(c, e, {
    ...(statusByCode[e.code] ? { status: statusByCode[e.code] } : {}),
    ...(e instanceof CrosswalkCsvInvalid ? { extra: { errors: e.rowErrors } } : {}),
  });
}

/**
 * `/crosswalks/...`: analysts import CSVs as drafts, edit rows, publish and compare versions; every
 * change is recorded with the actor in the crosswalk's history and appended to the audit log.
 *
 * @example v1.route('/', crosswalkRoutes(crosswalks, audit));
 */
export function crosswalkRoutes(repository: CrosswalkRepository, audit?: AuditSink) {
  const app = newRouter();
  app.onError(crosswalkProblem);
  /** Append the change a mutation just recorded (its history row carries actor and detail) to the audit log. */
  const audited = async (name: string): Promise<void> => {
    const change = (await repository.changes(name)).at(-1);
    if (audit && change) await audit.append({ actor: change.actor, action: `crosswalk.${change.action}`, target: `crosswalk/${name}@${change.version}`, detail: change.detail });
  };

  app.openapi(
    createRoute({ method: 'get', path: '/crosswalks', summary: 'Named crosswalks with the version in effect today and open drafts', responses: { 200: json(z.object({ items: z.array(z.object({ name: z.string(), versions: z.number(), current: z.string().optional(), drafts: z.array(z.string()) })) }), 'crosswalks') } }),
    async (c) => c.json({ items: await repository.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/crosswalks/{name}',
      summary: 'Versions of a crosswalk (oldest first) and its change history with actors',
      request: { params: NameParam },
      responses: { 200: json(z.object({ name: z.string(), versions: z.array(InfoSchema), changes: z.array(z.object({ id: z.number(), version: z.string(), action: z.string(), actor: z.string(), at: z.string(), detail: z.record(z.string(), z.unknown()) })) }), 'versions') },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const versions = await repository.versions(name);
      const changes = (await repository.changes(name)).map(({ name: _name, ...change }) => change);
      return c.json({ name, versions, changes }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/crosswalks/{name}/versions/{version}', summary: 'One version with its rows', request: { params: VersionParams }, responses: { 200: json(DetailSchema, 'the version') } }),
    async (c) => {
      const { name, version } = c.req.valid('param');
      return c.json(await repository.get(name, version), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/crosswalks/{name}/import',
      summary: 'Create a draft from a crosswalk CSV; any invalid row rejects the whole file (422, errors per line)',
      request: {
        params: NameParam,
        query: z.object({ effectiveDate: z.string().optional(), version: z.string().optional(), note: z.string().optional() }),
        body: { content: { 'text/csv': { schema: z.string() } }, required: true },
      },
      responses: { 201: json(DetailSchema, 'the new draft') },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const q = c.req.valid('query');
      const draft = await repository.importCsv(name, await c.req.text(), {
        author: actorOf(c.req.raw.headers).actor,
        ...(q.effectiveDate ? { effectiveDate: q.effectiveDate } : {}),
        ...(q.version ? { version: q.version } : {}),
        ...(q.note ? { note: q.note } : {}),
      });
      await audited(name);
      return c.json(draft, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/crosswalks/{name}/drafts',
      summary: 'Start a draft as a copy of a version (default: the latest published one)',
      request: {
        params: NameParam,
        body: { content: { 'application/json': { schema: z.object({ effectiveDate: z.string(), version: z.string().optional(), from: z.string().optional(), note: z.string().optional() }) } }, required: true },
      },
      responses: { 201: json(DetailSchema, 'the new draft') },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const body = c.req.valid('json');
      const draft = await repository.createDraft(name, {
        author: actorOf(c.req.raw.headers).actor,
        effectiveDate: body.effectiveDate,
        ...(body.version ? { version: body.version } : {}),
        ...(body.from ? { from: body.from } : {}),
        ...(body.note ? { note: body.note } : {}),
      });
      await audited(name);
      return c.json(draft, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/crosswalks/{name}/drafts/{version}/rows',
      summary: 'Add, update and delete rows of a draft, all or nothing',
      request: { params: VersionParams, body: { content: { 'application/json': { schema: z.object({ edits: z.array(EditSchema).min(1) }) } }, required: true } },
      responses: { 200: json(DetailSchema, 'the edited draft') },
    }),
    async (c) => {
      const { name, version } = c.req.valid('param');
      const { edits } = c.req.valid('json');
      const draft = await repository.editRows(name, version, edits as RowEdit[], actorOf(c.req.raw.headers).actor);
      await audited(name);
      return c.json(draft, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/crosswalks/{name}/drafts/{version}/publish', summary: 'Publish a draft; it is immutable from then on', request: { params: VersionParams }, responses: { 200: json(InfoSchema, 'the published version') } }),
    async (c) => {
      const { name, version } = c.req.valid('param');
      const published = await repository.publish(name, version, actorOf(c.req.raw.headers).actor);
      await audited(name);
      return c.json(published, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/crosswalks/{name}/diff',
      summary: 'Rows added, removed and changed from one version to another',
      request: { params: NameParam, query: z.object({ from: z.string().min(1), to: z.string().min(1) }) },
      responses: { 200: json(z.object({ from: z.string(), to: z.string(), added: z.array(RowSchema), removed: z.array(RowSchema), changed: z.array(z.object({ key: z.string(), from: RowSchema, to: RowSchema })) }), 'the differences') },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const { from, to } = c.req.valid('query');
      return c.json({ from, to, ...(await repository.diff(name, from, to)) }, 200);
    },
  );

  return app;
}
