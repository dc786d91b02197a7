import pg from 'pg';
import type { Page } from '../../kernel/store.js';
import { applyPgMigrations, loadPgMigrations, quoteIdent } from '../../store/postgres/migrate.js';
import { pgStoreError } from '../../store/postgres/errors.js';
import { INSERT_COLUMNS, pageLimit, SUMMARY_COLUMNS, toRelease, toSummary, toValues, unchanged, type ReleaseRowRaw } from './rows.js';
import type { NewRelease, Release, ReleaseStore, ReleaseSummary } from './types.js';

/**
 * Releases in the PostgreSQL store's schema. Nodes starting or reloading together record under an
 * advisory lock, so they agree on one version per distinct config.
 *
 * @example const releases = await openPostgresReleaseStore({ url, schema: 'loom' });
 */
export async function openPostgresReleaseStore(options: { url: string; schema?: string }): Promise<PostgresReleaseStore> {
  const schema = options.schema ?? 'loom';
  const pool = new pg.Pool({ connectionString: options.url, max: 2, connectionTimeoutMillis: 5000, options: `-c search_path=${quoteIdent(schema)}` });
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await applyPgMigrations(client, schema, loadPgMigrations().filter((m) => m.name.endsWith('_config_releases')));
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw pgStoreError(error, options.url, 'releases migrate');
  }
  return new PostgresReleaseStore(pool, options.url, schema);
}

export class PostgresReleaseStore implements ReleaseStore {
  constructor(private readonly pool: pg.Pool, private readonly url: string, readonly schema: string) {}

  async record(release: NewRelease & { hash: string; at: string }): Promise<{ release: Release; created: boolean }> {
    const client = await this.pool.connect().catch((error: unknown) => Promise.reject(pgStoreError(error, this.url, 'release record')));
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`loom.releases.${this.schema}`]);
      const row = (await client.query<ReleaseRowRaw>('SELECT * FROM config_releases ORDER BY version DESC LIMIT 1')).rows[0];
      const latest = row ? toRelease(row) : undefined;
      if (latest && unchanged(latest, release)) {
        await client.query('COMMIT');
        return { release: latest, created: false };
      }
      const version = (latest?.version ?? 0) + 1;
      await client.query(`INSERT INTO config_releases ${INSERT_COLUMNS} VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, toValues(version, release));
      const inserted = (await client.query<ReleaseRowRaw>('SELECT * FROM config_releases WHERE version = $1', [version])).rows[0] as ReleaseRowRaw;
      await client.query('COMMIT');
      return { release: toRelease(inserted), created: true };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw pgStoreError(error, this.url, 'release record');
    } finally {
      client.release();
    }
  }

  async get(version: number): Promise<Release | undefined> {
    const row = (await this.rows('SELECT * FROM config_releases WHERE version = $1', [version]))[0];
    return row ? toRelease(row) : undefined;
  }

  async latest(): Promise<Release | undefined> {
    const row = (await this.rows('SELECT * FROM config_releases ORDER BY version DESC LIMIT 1', []))[0];
    return row ? toRelease(row) : undefined;
  }

  async list(query: { cursor?: number; limit?: number }): Promise<Page<ReleaseSummary>> {
    const limit = pageLimit(query.limit);
    const rows = await this.rows(`SELECT ${SUMMARY_COLUMNS} FROM config_releases WHERE version < $1 ORDER BY version DESC LIMIT $2`, [query.cursor ?? Number.MAX_SAFE_INTEGER, limit + 1]);
    const items = rows.slice(0, limit).map(toSummary);
    const last = items.at(-1);
    return rows.length > limit && last ? { items, nextCursor: String(last.version) } : { items };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async rows(sql: string, params: unknown[]): Promise<ReleaseRowRaw[]> {
    try {
      return (await this.pool.query<ReleaseRowRaw>(sql, params)).rows;
    } catch (error) {
      throw pgStoreError(error, this.url, 'releases');
    }
  }
}
