/**
 * The durable process kernel (EIP ProcessManager): definitions with a pure `apply`, a manager that
 * persists state, applied event ids, timelines and effects, and the ProcessStore port with its adapters.
 *
 * @example
 * const pm = new ProcessManager({ store: await openSqliteProcessStore({ dataDir }), processes: [p] });
 * const { effects } = await pm.handle(event);
 */
export * from './types.js';
export { defineProcess } from './define.js';
export { ProcessManager, waitCause, type ProcessManagerOptions, type HandleResult, type HandleOptions, type WithSamples } from './manager.js';
export type { ProcessStore, ProcessTx, SlaSample, WaitingCount } from './store.js';
export { MemoryProcessStore } from './memory-store.js';
export { openSqliteProcessStore, SqliteProcessStore, type SqliteProcessStoreOptions } from './sqlite-store.js';
export { openPostgresProcessStore, PostgresProcessStore } from './postgres-store.js';
