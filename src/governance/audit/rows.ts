import type { AuditQuery, AuditRecord } from './types.js';
import { canonicalJson } from './chain.js';

/** An audit_log row as both stores return it. */
export interface AuditRowRaw {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export const INSERT_COLUMNS = '(seq, at, actor, action, target, detail, prev_hash, hash)';

export function toRecord(r: AuditRowRaw): AuditRecord {
  return {
    seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, target: r.target,
    detail: JSON.parse(r.detail) as Record<string, unknown>, prevHash: r.prev_hash, hash: r.hash,
  };
}

/** Insert values in INSERT_COLUMNS order; `detail` as the canonical JSON that was hashed. */
export function toValues(r: AuditRecord): [number, string, string, string, string, string, string, string] {
  return [r.seq, r.at, r.actor, r.action, r.target, canonicalJson(r.detail), r.prevHash, r.hash];
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/**
 * `WHERE … ORDER BY seq DESC LIMIT …` for a query; `placeholder(i)` is `?` (SQLite) or `$i` (PostgreSQL).
 * Asks for one row more than the limit, to know whether there is a next page.
 */
export function querySql(query: AuditQuery, placeholder: (index: number) => string): { sql: string; params: Array<string | number> } {
  const where: string[] = [];
  const params: Array<string | number> = [];
  const add = (clause: (p: string) => string, value: string | number) => {
    params.push(value);
    where.push(clause(placeholder(params.length)));
  };
  if (query.actor !== undefined) add((p) => `actor = ${p}`, query.actor);
  if (query.action !== undefined) add((p) => `action = ${p}`, query.action);
  if (query.target !== undefined) add((p) => `target = ${p}`, query.target);
  if (query.from !== undefined) add((p) => `at >= ${p}`, query.from);
  if (query.to !== undefined) add((p) => `at < ${p}`, query.to);
  if (query.cursor !== undefined) add((p) => `seq < ${p}`, query.cursor);
  const limit = pageLimit(query);
  params.push(limit + 1);
  const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${placeholder(params.length)}`;
  return { sql, params };
}

export function pageLimit(query: AuditQuery): number {
  return Math.min(Math.max(query.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
}

/** Trim the extra row `querySql` asked for into a next cursor. */
export function toPage(rows: AuditRowRaw[], query: AuditQuery): { items: AuditRecord[]; nextCursor?: string } {
  const limit = pageLimit(query);
  const items = rows.slice(0, limit).map(toRecord);
  const last = items.at(-1);
  return rows.length > limit && last ? { items, nextCursor: String(last.seq) } : { items };
}
