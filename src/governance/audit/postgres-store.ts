import pg from 'pg';
import type { Page } from '../../kernel/store.js';
import { applyPgMigrations, loadPgMigrations, quoteIdent } from '../../store/postgres/migrate.js';
import { pgStoreError } from '../../store/postgres/errors.js';
import { INSERT_COLUMNS, querySql, toPage, toRecord, toValues, type AuditRowRaw } from './rows.js';
import type { AuditQuery, AuditRecord, AuditStore, ChainHead } from './types.js';

export interface PostgresAuditStoreOptions {
  url: string;
  /** Schema of Loom's tables. Default `loom`. */
  schema?: string;
  /** Apply the audit migration at open. Default true. */
  migrate?: boolean;
}

/**
 * The audit log in the PostgreSQL store's schema. Several Loom nodes append to one chain: each
 * append runs in a transaction holding an advisory lock keyed on the schema, reads the head and
 * inserts the next row, so no two rows ever claim the same predecessor.
 *
 * @example const audit = new AuditLog(await openPostgresAuditStore({ url: 'postgres://loom@db/loom', schema: 'loom' }));
 */
export async function openPostgresAuditStore(options: PostgresAuditStoreOptions): Promise<PostgresAuditStore> {
  const schema = options.schema ?? 'loom';
  const pool = new pg.Pool({ connectionString: options.url, max: 2, connectionTimeoutMillis: 5000, options: `-c search_path=${quoteIdent(schema)}` });
  pool.on('error', () => undefined);
  const store = new PostgresAuditStore(pool, options.url, schema);
  if (options.migrate !== false) {
    try {
      const client = await pool.connect();
      try {
        await applyPgMigrations(client, schema, loadPgMigrations().filter((m) => m.name.endsWith('_audit_log')));
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw pgStoreError(error, options.url, 'audit migrate');
    }
  }
  return store;
}

export class PostgresAuditStore implements AuditStore {
  readonly kind = 'postgres';

  constructor(private readonly pool: pg.Pool, private readonly url: string, readonly schema: string) {}

  async append(build: (head: ChainHead | undefined) => AuditRecord): Promise<AuditRecord> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw pgStoreError(error, this.url, 'audit append');
    }
    try {
      await client.query('BEGIN');
      // Released at COMMIT/ROLLBACK; other nodes wait here, so each reads the head the last one wrote.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`loom.audit.${this.schema}`]);
      const head = await client.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      const row = head.rows[0];
      const record = build(row ? { seq: Number(row.seq), hash: row.hash } : undefined);
      await client.query(`INSERT INTO audit_log ${INSERT_COLUMNS} VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, toValues(record));
      await client.query('COMMIT');
      return record;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw pgStoreError(error, this.url, 'audit append');
    } finally {
      client.release();
    }
  }

  async head(): Promise<ChainHead | undefined> {
    const rows = await this.rows<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1', [], 'audit head');
    const row = rows[0];
    return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
  }

  async scan(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    return (await this.rows<AuditRowRaw>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit], 'audit scan')).map(toRecord);
  }

  async findByHash(hash: string): Promise<AuditRecord | undefined> {
    const row = (await this.rows<AuditRowRaw>('SELECT * FROM audit_log WHERE hash = $1 ORDER BY seq LIMIT 1', [hash], 'audit lookup'))[0];
    return row ? toRecord(row) : undefined;
  }

  async query(query: AuditQuery): Promise<Page<AuditRecord>> {
    const { sql, params } = querySql(query, (i) => `$${i}`);
    return toPage(await this.rows<AuditRowRaw>(sql, params, 'audit query'), query);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async rows<T extends pg.QueryResultRow>(sql: string, params: unknown[], where: string): Promise<T[]> {
    try {
      return (await this.pool.query<T>(sql, params)).rows;
    } catch (error) {
      throw pgStoreError(error, this.url, where);
    }
  }
}
