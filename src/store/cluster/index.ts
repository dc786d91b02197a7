import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LoomError } from '../../kernel/index.js';
import { openPgPool, type PgLocation } from '../postgres/index.js';
import { pgExecutor, sqliteExecutor } from '../sql.js';
import { applyMigrations } from '../sqlite/migrate.js';
import { SqlLeaseManager } from './leases.js';

export { SqlLeaseManager } from './leases.js';

/**
 * Leases and heartbeats in the node's own `<dataDir>/loom.db`: one node, so every lease it asks
 * for is free (embedded mode), with the same API as the shared PostgreSQL one.
 *
 * @example const leases = openSqliteLeases('.loom');
 */
export function openSqliteLeases(dataDir: string): SqlLeaseManager & { close(): Promise<void> } {
  const file = path.join(path.resolve(dataDir), 'loom.db');
  let db: Database.Database;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.transaction(() => applyMigrations(db)).immediate();
  } catch (cause) {
    throw new LoomError('store.unwritable', `cannot open the lease tables in ${file}: ${String(cause)}`, { location: file, hint: 'check that the data folder exists and is writable', cause });
  }
  const sql = sqliteExecutor(db);
  return Object.assign(new SqlLeaseManager(sql), { close: () => sql.close() });
}

/**
 * Leases and heartbeats in the shared PostgreSQL schema: a singleton runs on the one node that
 * holds its lease; when that node dies its lease expires and a survivor takes it.
 *
 * @example const leases = await openPostgresLeases({ url, schema: 'loom' });
 */
export async function openPostgresLeases(location: PgLocation): Promise<SqlLeaseManager & { close(): Promise<void> }> {
  const sql = pgExecutor(await openPgPool({ poolSize: 2, ...location }, 'lease store'));
  return Object.assign(new SqlLeaseManager(sql), { close: () => sql.close() });
}
