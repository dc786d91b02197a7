export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './store.js';
export { applyMigrations, loadMigrations, type Migration } from './migrate.js';
export { storeError } from './errors.js';
