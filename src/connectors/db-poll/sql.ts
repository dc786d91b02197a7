import pg from 'pg';
import mysql from 'mysql2/promise';
import type { DbPollOptions } from './schema.js';

/** A cursor: the last row handed over, as (watermark, key). */
export interface RowCursor { watermark: unknown; key: unknown }

/** One SQL dialect's way to read the next batch after a cursor, ordered by (watermark, key). */
export interface RowSource {
  nextBatch(after: RowCursor | undefined): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const quotePg = (name: string) => name.split('.').map((p) => `"${p}"`).join('.');
const quoteMy = (name: string) => name.split('.').map((p) => `\`${p}\``).join('.');

/**
 * The keyset query: rows strictly after (watermark, key), so equal watermarks are neither skipped
 * nor repeated. Identifiers were checked against a strict pattern by the schema before quoting.
 */
export function batchQuery(options: DbPollOptions, dialect: 'pg' | 'mysql', after: boolean): string {
  const q = dialect === 'pg' ? quotePg : quoteMy;
  const [p1, p2, p3] = dialect === 'pg' ? ['$1', '$2', '$3'] : ['?', '?', '?'];
  const cols = options.columns ? [...new Set([...options.columns, options.watermark, options.key])].map(q).join(', ') : '*';
  const where = after ? ` WHERE ${q(options.watermark)} > ${p1} OR (${q(options.watermark)} = ${p2} AND ${q(options.key)} > ${p3})` : '';
  return `SELECT ${cols} FROM ${q(options.table)}${where} ORDER BY ${q(options.watermark)}, ${q(options.key)} LIMIT ${options.batchSize}`;
}

class PostgresRows implements RowSource {
  private readonly pool: pg.Pool;
  constructor(private readonly options: DbPollOptions) {
    this.pool = new pg.Pool({ connectionString: options.url, max: 1 });
    this.pool.on('error', () => undefined); // an idle connection dropped: the next query reconnects
  }
  async nextBatch(after: RowCursor | undefined): Promise<Record<string, unknown>[]> {
    const sql = batchQuery(this.options, 'pg', after !== undefined);
    const result = await this.pool.query(sql, after ? [after.watermark, after.watermark, after.key] : []);
    return result.rows as Record<string, unknown>[];
  }
  close(): Promise<void> {
    return this.pool.end();
  }
}

class MysqlRows implements RowSource {
  private readonly pool: mysql.Pool;
  constructor(private readonly options: DbPollOptions) {
    this.pool = mysql.createPool({ uri: options.url.replace(/^mariadb:/, 'mysql:'), connectionLimit: 1, dateStrings: false, supportBigNumbers: true, bigNumberStrings: true, timezone: 'Z' });
  }
  async nextBatch(after: RowCursor | undefined): Promise<Record<string, unknown>[]> {
    const sql = batchQuery(this.options, 'mysql', after !== undefined);
    const [rows] = await this.pool.query(sql, after ? [after.watermark, after.watermark, after.key] : []);
    return rows as Record<string, unknown>[];
  }
  close(): Promise<void> {
    return this.pool.end();
  }
}

/** The row source for the URL's scheme. */
export function openRowSource(options: DbPollOptions): RowSource {
  return /^(mysql|mariadb):/.test(options.url) ? new MysqlRows(options) : new PostgresRows(options);
}
