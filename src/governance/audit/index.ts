/**
 * The governance audit log: one append-only, hash-chained log of every operator action,
 * configuration change and governance decision, on SQLite or PostgreSQL.
 *
 * @example
 * const audit = await openAuditLog(config.store);
 * await audit.append({ actor: 'ana', action: 'message.replay', target: messageId, detail: { newMessageId } });
 * const result = await audit.verify(); // { ok: false, seq: 12, problem: 'edited', message: … } after tampering
 */
export { AuditLog } from './log.js';
export { openAuditLog } from './open.js';
export { openSqliteAuditStore, SqliteAuditStore, type SqliteAuditStoreOptions } from './sqlite-store.js';
export { openPostgresAuditStore, PostgresAuditStore, type PostgresAuditStoreOptions } from './postgres-store.js';
export { canonicalJson, rowHash, nextRecord, GENESIS_HASH } from './chain.js';
export { verifyChain } from './verify.js';
export { auditCsv, AUDIT_CSV_COLUMNS } from './csv.js';
export type * from './types.js';
