export { openPostgresStore, type PostgresStoreOptions } from './open.js';
export { PostgresStore } from './store.js';
export { applyPgMigrations, loadPgMigrations, type PgMigration } from './migrate.js';
export { pgStoreError, redactUrl } from './errors.js';
export { backupPg } from './backup.js';
export type { PgPruneScope } from './retention.js';
export { PgPool, openPgPool, pgTypes, type PgLocation } from './pool.js';
