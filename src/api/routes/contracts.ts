import { createRoute, z } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ContractRegistry } from '../../governance/contracts/index.js';
import { LoomError } from '../../kernel/index.js';
import { actorOf, newRouter } from '../context.js';
import { problem } from '../problem.js';

const Kind = z.enum(['json-schema', 'hl7v2', 'x12']);
const ChangeSchema = z.object({ path: z.string(), kind: z.string(), breaking: z.boolean(), message: z.string() });
const VersionSchema = z
  .object({
    name: z.string(),
    version: z.number().int(),
    kind: Kind,
    schema: z.record(z.string(), z.unknown()),
    status: z.enum(['active', 'pending-approval']),
    classification: z.object({ compatibility: z.enum(['compatible', 'breaking']), changes: z.array(ChangeSchema) }).optional(),
    createdBy: z.string(),
    createdAt: z.string(),
    approvedBy: z.string().optional(),
    approvedAt: z.string().optional(),
    note: z.string().optional(),
  })
  .openapi('ContractVersion');
const ContractSchema = z.object({ name: z.string(), kind: Kind, owner: z.string(), description: z.string().optional(), createdAt: z.string(), latest: z.number().int() }).openapi('Contract');
const NameParam = z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'po-850' }) });
const VersionParams = NameParam.extend({ version: z.coerce.number().int().min(1).openapi({ param: { name: 'version', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const statusByCode: Record<string, ContentfulStatusCode> = {
  'contract.unknown': 404,
  'contract.version.unknown': 404,
  'contract.approval.not-owner': 403,
  'contract.version.active': 409,
  'contract.kind.mismatch': 409,
  'contract.schema.invalid': 422,
};

/**
 * `/contracts`: register message contract versions (classified compatible or breaking against the
 * previous one), list them, and let the owner approve a breaking version; every step audited.
 *
 * @example v1.route('/', contractRoutes(contracts));
 */
export function contractRoutes(contracts: ContractRegistry) {
  const app = newRouter();
  app.onError((error, c) => {
    const code = error instanceof LoomError ? error.code : '';
    return problem(c, error, statusByCode[code] ? { status: statusByCode[code] } : {});
  });

  app.openapi(
    createRoute({ method: 'get', path: '/contracts', summary: 'Registered message contracts with owner and latest version', responses: { 200: json(z.object({ items: z.array(ContractSchema) }), 'contracts') } }),
    async (c) => c.json({ items: await contracts.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/contracts/{name}/versions',
      summary: 'Register the next version of a contract; a breaking one waits for the owner\'s approval',
      request: {
        params: NameParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                kind: Kind,
                owner: z.string().min(1).openapi({ description: 'who approves breaking versions (kept from version 1 on)' }),
                description: z.string().optional(),
                schema: z.record(z.string(), z.unknown()).openapi({ description: 'JSON Schema, or Loom\'s HL7 v2 profile / X12 set document (docs/governance.md)' }),
                note: z.string().optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 201: json(VersionSchema, 'the new version with its classification') },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const body = c.req.valid('json');
      const version = await contracts.register({ name, ...body }, actorOf(c.req.raw.headers));
      return c.json(version, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/contracts/{name}', summary: 'A contract and all its versions', request: { params: NameParam }, responses: { 200: json(z.object({ contract: ContractSchema, versions: z.array(VersionSchema) }), 'the contract') } }),
    async (c) => c.json(await contracts.versions(c.req.valid('param').name), 200),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/contracts/{name}/versions/{version}', summary: 'One contract version', request: { params: VersionParams }, responses: { 200: json(VersionSchema, 'the version') } }),
    async (c) => {
      const { name, version } = c.req.valid('param');
      return c.json(await contracts.getVersion(name, version), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/contracts/{name}/versions/{version}/approve',
      summary: 'The contract\'s owner approves a breaking version (403 for anyone else); audited',
      request: { params: VersionParams },
      responses: { 200: json(VersionSchema, 'the version, now active') },
    }),
    async (c) => {
      const { name, version } = c.req.valid('param');
      return c.json(await contracts.approve(name, version, actorOf(c.req.raw.headers)), 200);
    },
  );
  return app;
}
