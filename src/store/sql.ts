import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { PgPool } from './postgres/pool.js';

/** Values a query binds. */
export type SqlValue = string | number | bigint | boolean | null | Uint8Array;

/**
 * A small async SQL port for modules whose SQL is plain enough to run on both stores (crosswalks):
 * `?` placeholders, written once; the PostgreSQL executor numbers them `$1..$n`. Keep `?` out of
 * string literals in such SQL.
 *
 * @example
 * const rows = await sql.all<{ name: string }>('SELECT name FROM crosswalk_versions WHERE status = ?', ['published']);
 * await sql.transaction(async (tx) => tx.run('DELETE FROM crosswalk_rows WHERE name = ?', [name]));
 */
export interface SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, args?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, args?: readonly SqlValue[]): Promise<T | undefined>;
  /** Rows changed. */
  run(sql: string, args?: readonly SqlValue[]): Promise<number>;
  /** All of `fn`'s statements commit together or none does; writers are serialized (SQLite) or row-locked (PostgreSQL). */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `?` → `$1, $2, …` for PostgreSQL. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * SQLite executor on one better-sqlite3 connection: calls run one after another (a transaction
 * holds the connection until it ends, BEGIN IMMEDIATE so it never upgrades a read lock mid-way).
 */
export function sqliteExecutor(db: Database.Database, owned = true): SqlExecutor {
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const p = chain.then(fn, fn);
    chain = p.catch(() => undefined);
    return p;
  };
  const inTx: SqlExecutor = {
    dialect: 'sqlite',
    all: async <T>(sql: string, args: readonly SqlValue[] = []) => db.prepare(sql).all(...args) as T[],
    get: async <T>(sql: string, args: readonly SqlValue[] = []) => db.prepare(sql).get(...args) as T | undefined,
    run: async (sql: string, args: readonly SqlValue[] = []) => db.prepare(sql).run(...args).changes,
    transaction: (fn) => fn(inTx),
    close: async () => undefined,
  };
  const outer: SqlExecutor = {
    dialect: 'sqlite',
    all: (sql, args) => serial(() => inTx.all(sql, args)),
    get: (sql, args) => serial(() => inTx.get(sql, args)),
    run: (sql, args) => serial(() => inTx.run(sql, args)),
    transaction: (fn) => serial(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(inTx);
        db.exec('COMMIT');
        return out;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    }),
    close: () => serial(() => {
      if (owned && db.open) db.close();
    }),
  };
  return outer;
}

type Queryable = pg.Pool | pg.PoolClient;
const on = (q: Queryable): Omit<SqlExecutor, 'transaction' | 'close'> => ({
  dialect: 'postgres',
  all: async <T>(sql: string, args: readonly SqlValue[] = []) => (await q.query(numberPlaceholders(sql), [...args])).rows as T[],
  get: async <T>(sql: string, args: readonly SqlValue[] = []) => (await q.query(numberPlaceholders(sql), [...args])).rows[0] as T | undefined,
  run: async (sql: string, args: readonly SqlValue[] = []) => (await q.query(numberPlaceholders(sql), [...args])).rowCount ?? 0,
});

/** PostgreSQL executor on a PgPool: statements on the pool, transactions on one client (errors → LoomError store.*). */
export function pgExecutor(db: PgPool): SqlExecutor {
  const direct = on(db.pool);
  return {
    dialect: 'postgres',
    all: (sql, args) => db.read('query', () => direct.all(sql, args)),
    get: (sql, args) => db.read('query', () => direct.get(sql, args)),
    run: (sql, args) => db.read('query', () => direct.run(sql, args)),
    transaction: (fn) => db.tx('transaction', (client) => {
      const tx: SqlExecutor = { ...on(client), transaction: (inner) => inner(tx), close: async () => undefined };
      return fn(tx);
    }),
    close: () => db.close(),
  };
}
