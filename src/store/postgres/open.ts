import pg from 'pg';
import { pgStoreError } from './errors.js';
import { quoteIdent } from './migrate.js';
import { PostgresStore } from './store.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/db`. */
  url: string;
  /** Schema holding Loom's tables (created if missing). Default `loom`. */
  schema?: string;
  /** Most connections per node. Default 10. */
  poolSize?: number;
  /** How long a claimed outbox row is held by this node before another may take it. Default 60 s. */
  claimLeaseMs?: number;
  /** Apply migrations at open. Default true. */
  migrate?: boolean;
}

// BIGINT (oid 20: epoch ms, COUNT(*)) as a JS number; ms timestamps stay far below 2^53
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Open the PostgreSQL MessageStore (the scale-out store; several Loom nodes may share it).
 * Throws LoomError `store.unavailable` (URL without password, with a hint) when the server cannot be reached.
 *
 * @example const store = await openPostgresStore({ url: 'postgres://loom@db:5432/loom', schema: 'loom' });
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema ?? 'loom';
  quoteIdent(schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    options: `-c search_path=${quoteIdent(schema)}`,
    types,
  });
  // an idle connection dropped by the server must not crash the process; the next query reconnects
  pool.on('error', () => undefined);
  const store = new PostgresStore(pool, options.url, schema, options.claimLeaseMs ?? 60_000);
  try {
    const c = await pool.connect();
    c.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw pgStoreError(error, options.url, 'open');
  }
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }
  return store;
}

