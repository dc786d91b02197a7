import pg from 'pg';
import { LoomError } from '../../kernel/index.js';
import { pgStoreError } from './errors.js';
import { applyPgMigrations, quoteIdent } from './migrate.js';

/** Where a PostgreSQL-backed port lives: the same URL and schema as the message store. */
export interface PgLocation {
  /** `postgres://user:password@host:5432/db`. */
  url: string;
  /** Schema holding Loom's tables. Default `loom`. */
  schema?: string;
  /** Most connections this port opens. Default 4. */
  poolSize?: number;
  /** Apply the numbered migrations at open (idempotent, under an advisory lock). Default true. */
  migrate?: boolean;
}

// BIGINT (oid 20: epoch ms, COUNT(*)) as a JS number; ms timestamps stay far below 2^53
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

// 40001 serialization failure, 40P01 deadlock detected: PostgreSQL rolled back; the work can run again
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TX_ATTEMPTS = 5;

/**
 * A small connection pool for one of Loom's PostgreSQL ports (processes, partners, leases, ...),
 * with the transaction and read helpers they share: failures become LoomError `store.*` with the
 * URL's password masked; deadlocks and serialization failures are retried.
 *
 * @example
 * const db = await openPgPool({ url, schema: 'loom' }, 'process store');
 * await db.tx('record', (c) => c.query('UPDATE ...'));
 */
export class PgPool {
  private closed = false;

  private constructor(readonly pool: pg.Pool, readonly url: string, readonly schema: string, private readonly what: string) {}

  static async open(location: PgLocation, what: string): Promise<PgPool> {
    const schema = location.schema ?? 'loom';
    const pool = new pg.Pool({
      connectionString: location.url, max: location.poolSize ?? 4, connectionTimeoutMillis: 5000,
      options: `-c search_path=${quoteIdent(schema)}`, types: pgTypes,
    });
    // an idle connection dropped by the server must not crash the process; the next query reconnects
    pool.on('error', () => undefined);
    const db = new PgPool(pool, location.url, schema, what);
    if (location.migrate !== false) {
      try {
        await db.migrate();
      } catch (error) {
        await pool.end().catch(() => undefined);
        throw error;
      }
    } else {
      await db.read('open', (p) => p.query('SELECT 1')).catch(async (error: unknown) => {
        await pool.end().catch(() => undefined);
        throw error;
      });
    }
    return db;
  }

  private async client(where: string): Promise<pg.PoolClient> {
    if (this.closed) throw new LoomError('store.closed', `The PostgreSQL ${this.what} was closed before ${where}`, { hint: 'open it again' });
    try {
      return await this.pool.connect();
    } catch (error) {
      throw pgStoreError(error, this.url, `${this.what} ${where}`);
    }
  }

  async migrate(): Promise<string[]> {
    const c = await this.client('migrate');
    try {
      return await applyPgMigrations(c, this.schema);
    } catch (error) {
      throw pgStoreError(error, this.url, `${this.what} migrate`);
    } finally {
      c.release();
    }
  }

  /** Run `fn` in one transaction (READ COMMITTED); resolves after COMMIT. Deadlocks are retried. */
  async tx<T>(where: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.client(where);
      let broken: Error | undefined;
      try {
        await c.query('BEGIN');
        const out = await fn(c);
        await c.query('COMMIT');
        return out;
      } catch (error) {
        await c.query('ROLLBACK').catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && RETRYABLE.has(code) && attempt < MAX_TX_ATTEMPTS) continue;
        throw pgStoreError(error, this.url, `${this.what} ${where}`);
      } finally {
        c.release(broken);
      }
    }
  }

  async read<T>(where: string, fn: (p: pg.Pool) => Promise<T>): Promise<T> {
    if (this.closed) throw new LoomError('store.closed', `The PostgreSQL ${this.what} was closed before ${where}`, { hint: 'open it again' });
    try {
      return await fn(this.pool);
    } catch (error) {
      throw pgStoreError(error, this.url, `${this.what} ${where}`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** Open a PgPool (see the class). */
export const openPgPool = (location: PgLocation, what: string): Promise<PgPool> => PgPool.open(location, what);
