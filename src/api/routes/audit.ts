import { createRoute, z } from '@hono/zod-openapi';
import { auditCsv, type AuditLog, type AuditQuery, type AuditRecord } from '../../governance/audit/index.js';
import { newRouter } from '../context.js';

const RecordSchema = z
  .object({
    seq: z.number().int(),
    at: z.string().openapi({ example: '2026-12-05T15:43:08.123Z' }),
    actor: z.string(),
    action: z.string().openapi({ example: 'message.replay' }),
    target: z.string(),
    detail: z.record(z.string(), z.unknown()),
    prevHash: z.string().openapi({ description: 'SHA-256 (hex) of the previous row; 64 zeros for row 1' }),
    hash: z.string().openapi({ description: 'SHA-256 (hex) of canonical JSON [seq, at, actor, action, target, detail, prevHash]' }),
  })
  .openapi('AuditRecord');

const VerifySchema = z
  .object({
    ok: z.boolean(),
    rows: z.number().int().openapi({ description: 'rows verified intact (before the first broken one)' }),
    head: z.object({ seq: z.number().int(), hash: z.string() }).optional().openapi({ description: 'the last row: record it elsewhere to catch deletion of the newest rows' }),
    seq: z.number().int().optional().openapi({ description: 'the first edited, deleted or reordered row' }),
    problem: z.enum(['edited', 'deleted', 'reordered']).optional(),
    message: z.string().optional(),
  })
  .openapi('AuditVerification');

const Query = z.object({
  actor: z.string().optional(),
  action: z.string().optional().openapi({ example: 'config.reload' }),
  target: z.string().optional(),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'ISO 8601, inclusive' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'ISO 8601, exclusive' }),
  cursor: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).default('json').openapi({ description: 'csv: every matching row (all pages), oldest first, with the hashes' }),
});

/** Rows are stored with `toISOString()`, so ISO bounds compare as strings once normalized to UTC. */
function toAuditQuery(q: z.infer<typeof Query>): AuditQuery {
  return {
    ...(q.actor ? { actor: q.actor } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.target ? { target: q.target } : {}),
    ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
    ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
    limit: q.limit,
  };
}

async function everyMatch(audit: AuditLog, query: AuditQuery): Promise<AuditRecord[]> {
  const rows: AuditRecord[] = [];
  let cursor = query.cursor;
  for (;;) {
    const page = await audit.list({ ...query, limit: 1000, ...(cursor ? { cursor } : {}) });
    rows.push(...page.items);
    if (!page.nextCursor) return rows.reverse();
    cursor = Number(page.nextCursor);
  }
}

/**
 * `/audit`: the hash-chained audit log, filtered and paged (newest first) or exported as CSV, and
 * `/audit/verify`, which re-hashes the chain.
 *
 * @example v1.route('/', auditRoutes(audit));
 */
export function auditRoutes(audit: AuditLog) {
  const app = newRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      summary: 'Audit log rows (newest first), filtered by actor, action, target and time; ?format=csv exports every match',
      request: { query: Query },
      responses: {
        200: {
          description: 'a page of audit rows, or text/csv',
          content: {
            'application/json': { schema: z.object({ items: z.array(RecordSchema), nextCursor: z.string().optional() }) },
            'text/csv': { schema: z.string() },
          },
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const query = toAuditQuery(q);
      if (q.format === 'csv') {
        return c.body(auditCsv(await everyMatch(audit, query)), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="loom-audit.csv"' });
      }
      return c.json(await audit.list(query), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/verify',
      summary: 'Re-hash the whole audit chain; names the first edited, deleted or reordered row',
      responses: { 200: { description: 'the verification (ok: false names the row)', content: { 'application/json': { schema: VerifySchema } } } },
    }),
    async (c) => c.json(await audit.verify(), 200),
  );
  return app;
}
