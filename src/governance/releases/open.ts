import type { LoomConfig } from '../../config/schema.js';
import { openPostgresReleaseStore } from './postgres-store.js';
import { openSqliteReleaseStore } from './sqlite-store.js';
import type { ReleaseStore } from './types.js';

/** The release store beside the configured message store (SQLite file or PostgreSQL schema). */
export async function openReleaseStore(store: LoomConfig['store']): Promise<ReleaseStore> {
  return store.kind === 'postgres'
    ? openPostgresReleaseStore({ url: store.url, ...(store.schema ? { schema: store.schema } : {}) })
    : openSqliteReleaseStore({ dataDir: store.dataDir });
}
