/**
 * The MessageStore: the Store port (re-exported from kernel) and its embedded SQLite adapter.
 *
 * @example
 * const store = await openSqliteStore({ dataDir: './.loom' });
 * await store.backup('./loom-backup.db');
 */
export * from './sqlite/index.js';
export type * from '../kernel/store.js';
export * from './postgres/index.js';
export { sqliteExecutor, pgExecutor, numberPlaceholders, type SqlExecutor, type SqlValue } from './sql.js';
export { SqlLeaseManager, openSqliteLeases, openPostgresLeases } from './cluster/index.js';
