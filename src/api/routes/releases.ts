import { createRoute, z } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ReleaseManager, ReleaseRef } from '../../governance/releases/index.js';
import { LoomError } from '../../kernel/index.js';
import { actorOf, newRouter, type ApiServices } from '../context.js';
import { problem } from '../problem.js';

const SummaryShape = {
  version: z.number().int(),
  hash: z.string().openapi({ description: 'SHA-256 (hex) of the config text' }),
  at: z.string(),
  actor: z.string(),
  reason: z.enum(['start', 'reload', 'rollback']),
  file: z.string().optional(),
  crosswalks: z.record(z.string(), z.string()).openapi({ description: 'crosswalk name → version in effect' }),
  rolledBackTo: z.number().int().optional(),
};
const SummarySchema = z.object(SummaryShape).openapi('ReleaseSummary');
const ReleaseSchema = z.object({ ...SummaryShape, text: z.string().openapi({ description: 'loom.config.yaml as written (secrets as references)' }) }).openapi('Release');
const FieldChange = z.object({ path: z.string(), from: z.unknown().optional(), to: z.unknown().optional() });
const Named = z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.object({ name: z.string(), fields: z.array(FieldChange) })) });
const Pair = { from: z.string().optional(), to: z.string().optional() };
const DiffSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    diff: z.object({
      channels: Named,
      systems: Named,
      mappings: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
      contracts: z.array(z.object({ channel: z.string(), ...Pair })),
      crosswalks: z.array(z.object({ name: z.string(), ...Pair })),
      other: z.array(FieldChange),
    }),
  })
  .openapi('ReleaseDiff');
const Ref = z.string().regex(/^(\d+|current|file)$/).openapi({ description: 'a version number, `current` (latest applied) or `file` (the config file on disk now)' });
const VersionParam = z.object({ version: z.coerce.number().int().min(1).openapi({ param: { name: 'version', in: 'path' }, example: 3 }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const statusByCode: Record<string, ContentfulStatusCode> = { 'release.unknown': 404, 'release.no-config-file': 409 };
const toRef = (value: string): ReleaseRef => (value === 'current' || value === 'file' ? value : Number(value));

/**
 * `/releases`: every applied config as a version, one with its text, the diff between two (or
 * against the file on disk), and rollback (writes the version back to the config file and reloads).
 *
 * @example v1.route('/', releaseRoutes(releases, services));
 */
export function releaseRoutes(releases: ReleaseManager, services: Pick<ApiServices, 'reload'>) {
  const app = newRouter();
  app.onError((error, c) => {
    const code = error instanceof LoomError ? error.code : '';
    return problem(c, error, statusByCode[code] ? { status: statusByCode[code] } : {});
  });

  app.openapi(
    createRoute({
      method: 'get', path: '/releases', summary: 'Applied config versions, newest first',
      request: { query: z.object({ cursor: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }) },
      responses: { 200: json(z.object({ items: z.array(SummarySchema), nextCursor: z.string().optional() }), 'a page of releases') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await releases.list({ limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/releases/diff', summary: 'What changes from one release to another: channels, systems, mappings, contracts, crosswalks, the rest',
      request: { query: z.object({ from: Ref.default('current'), to: Ref.default('file') }) },
      responses: { 200: json(DiffSchema, 'the changes') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await releases.diff(toRef(q.from), toRef(q.to)), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/releases/{version}', summary: 'One release with its config text', request: { params: VersionParam }, responses: { 200: json(ReleaseSchema, 'the release') } }),
    async (c) => c.json(await releases.get(c.req.valid('param').version), 200),
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/releases/{version}/rollback', summary: 'Write a release back to the config file and reload it (audited; the file is restored if the reload fails)',
      request: { params: VersionParam },
      responses: { 200: json(SummarySchema, 'the release now applied (a new version recording the rollback)') },
    }),
    async (c) => {
      const reload = services.reload;
      if (!reload) throw new LoomError('release.no-config-file', 'this engine was started without a config file', { hint: 'start it with --config FILE' });
      const who = actorOf(c.req.raw.headers);
      const now = await releases.rollback(c.req.valid('param').version, who, (release) => reload(who, release));
      const { text: _text, ...summary } = now;
      return c.json(summary, 200);
    },
  );
  return app;
}
