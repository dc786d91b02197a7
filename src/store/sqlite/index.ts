export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './store.js';
export { applyMigrations, loadMigrations, type Migration } from './migrate.js';
export { storeError } from './errors.js';
export { prune, type PruneScope } from './retention.js';
