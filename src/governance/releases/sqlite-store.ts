import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '../../kernel/store.js';
import { storeError } from '../../store/sqlite/errors.js';
import { applyMigrations, loadMigrations } from '../../store/sqlite/migrate.js';
import { INSERT_COLUMNS, pageLimit, SUMMARY_COLUMNS, toRelease, toSummary, toValues, unchanged, type ReleaseRowRaw } from './rows.js';
import type { NewRelease, Release, ReleaseStore, ReleaseSummary } from './types.js';

/**
 * Releases in the embedded store's `loom.db`, on their own connection (like the audit log).
 *
 * @example const releases = openSqliteReleaseStore({ dataDir: '.loom' });
 */
export function openSqliteReleaseStore(options: { dataDir: string }): SqliteReleaseStore {
  const file = path.join(path.resolve(options.dataDir), 'loom.db');
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    applyMigrations(db, loadMigrations().filter((m) => m.name.endsWith('_config_releases')));
    return new SqliteReleaseStore(db, file);
  } catch (error) {
    throw storeError(error, file);
  }
}

export class SqliteReleaseStore implements ReleaseStore {
  constructor(private readonly db: Database.Database, readonly file: string) {}

  record(release: NewRelease & { hash: string; at: string }): Promise<{ release: Release; created: boolean }> {
    return this.run(() =>
      this.db.transaction(() => {
        const latest = this.latestSync();
        if (latest && unchanged(latest, release)) return { release: latest, created: false };
        const version = (latest?.version ?? 0) + 1;
        this.db.prepare(`INSERT INTO config_releases ${INSERT_COLUMNS} VALUES (?,?,?,?,?,?,?,?,?)`).run(...toValues(version, release));
        return { release: this.getSync(version) as Release, created: true };
      }).immediate(),
    );
  }

  get(version: number): Promise<Release | undefined> {
    return this.run(() => this.getSync(version));
  }

  latest(): Promise<Release | undefined> {
    return this.run(() => this.latestSync());
  }

  list(query: { cursor?: number; limit?: number }): Promise<Page<ReleaseSummary>> {
    return this.run(() => {
      const limit = pageLimit(query.limit);
      const rows = this.db
        .prepare(`SELECT ${SUMMARY_COLUMNS} FROM config_releases WHERE version < ? ORDER BY version DESC LIMIT ?`)
        .all(query.cursor ?? Number.MAX_SAFE_INTEGER, limit + 1) as ReleaseRowRaw[];
      const items = rows.slice(0, limit).map(toSummary);
      const last = items.at(-1);
      return rows.length > limit && last ? { items, nextCursor: String(last.version) } : { items };
    });
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  private getSync(version: number): Release | undefined {
    const row = this.db.prepare('SELECT * FROM config_releases WHERE version = ?').get(version) as ReleaseRowRaw | undefined;
    return row ? toRelease(row) : undefined;
  }

  private latestSync(): Release | undefined {
    const row = this.db.prepare('SELECT * FROM config_releases ORDER BY version DESC LIMIT 1').get() as ReleaseRowRaw | undefined;
    return row ? toRelease(row) : undefined;
  }

  private run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(storeError(error, this.file));
    }
  }
}
