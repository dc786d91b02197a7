import type { Clock } from '../../kernel/ports.js';
import type { LoomConfig } from '../../config/schema.js';
import { AuditLog } from './log.js';
import { openPostgresAuditStore } from './postgres-store.js';
import { openSqliteAuditStore } from './sqlite-store.js';

/**
 * The audit log beside the configured message store: `loom.db` in `store.dataDir` for SQLite, the
 * store's schema for PostgreSQL. `readonly` opens an existing one only (verification).
 *
 * @example const audit = await openAuditLog(loaded.config.store);
 */
export async function openAuditLog(store: LoomConfig['store'], options: { readonly?: boolean; clock?: Clock } = {}): Promise<AuditLog> {
  const auditStore = store.kind === 'postgres'
    ? await openPostgresAuditStore({ url: store.url, ...(store.schema ? { schema: store.schema } : {}), migrate: options.readonly !== true })
    : openSqliteAuditStore({ dataDir: store.dataDir, ...(options.readonly ? { readonly: true } : {}) });
  return new AuditLog(auditStore, options.clock);
}
