import { stringify } from 'csv-stringify/sync';
import { canonicalJson } from './chain.js';
import type { AuditRecord } from './types.js';

export const AUDIT_CSV_COLUMNS = ['seq', 'at', 'actor', 'action', 'target', 'detail', 'prev_hash', 'hash'] as const;

/**
 * Audit rows as CSV (RFC 4180, header row), `detail` as canonical JSON: with the hashes, an
 * exported file can be re-verified outside Loom.
 *
 * @example auditCsv(rows).split('\n')[0] // 'seq,at,actor,action,target,detail,prev_hash,hash'
 */
export function auditCsv(rows: readonly AuditRecord[], header = true): string {
  const records = rows.map((r) => [r.seq, r.at, r.actor, r.action, r.target, canonicalJson(r.detail), r.prevHash, r.hash]);
  return stringify(records, { header, columns: [...AUDIT_CSV_COLUMNS] });
}
