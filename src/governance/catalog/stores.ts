import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { LoomConfig } from '../../config/schema.js';
import { storeError } from '../../store/sqlite/errors.js';
import { applyMigrations, loadMigrations } from '../../store/sqlite/migrate.js';
import { applyPgMigrations, loadPgMigrations, quoteIdent } from '../../store/postgres/migrate.js';
import { pgStoreError } from '../../store/postgres/errors.js';
import type { CatalogEntry, CatalogStore } from './types.js';

const MIGRATION = '_catalog_entries';

/** Imported catalog entries in the embedded store's `loom.db` (own connection). */
export function openSqliteCatalogStore(options: { dataDir: string }): CatalogStore {
  const file = path.join(path.resolve(options.dataDir), 'loom.db');
  let db: Database.Database;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    applyMigrations(db, loadMigrations().filter((m) => m.name.endsWith(MIGRATION)));
  } catch (error) {
    throw storeError(error, file);
  }
  const guard = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(storeError(error, file));
    }
  };
  return {
    replaceSource: (source, entries, importedBy) =>
      guard(() =>
        db.transaction(() => {
          db.prepare('DELETE FROM catalog_entries WHERE source = ?').run(source);
          const insert = db.prepare('INSERT INTO catalog_entries (source, id, entry, imported_at, imported_by) VALUES (?,?,?,?,?)');
          const at = new Date().toISOString();
          for (const e of entries) insert.run(source, e.id, JSON.stringify({ ...e, source }), at, importedBy);
          return entries.length;
        }).immediate(),
      ),
    list: () => guard(() => (db.prepare('SELECT entry FROM catalog_entries ORDER BY source, id').all() as Array<{ entry: string }>).map((r) => JSON.parse(r.entry) as CatalogEntry)),
    close: () => guard(() => {
      db.close();
    }),
  };
}

/** Imported catalog entries in the PostgreSQL store's schema. */
export async function openPostgresCatalogStore(options: { url: string; schema?: string }): Promise<CatalogStore> {
  const schema = options.schema ?? 'loom';
  const pool = new pg.Pool({ connectionString: options.url, max: 2, connectionTimeoutMillis: 5000, options: `-c search_path=${quoteIdent(schema)}` });
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await applyPgMigrations(client, schema, loadPgMigrations().filter((m) => m.name.endsWith(MIGRATION)));
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw pgStoreError(error, options.url, 'catalog migrate');
  }
  return {
    async replaceSource(source, entries, importedBy) {
      const client = await pool.connect().catch((error: unknown) => Promise.reject(pgStoreError(error, options.url, 'catalog import')));
      try {
        await client.query('BEGIN');
        await client.query('DELETE FROM catalog_entries WHERE source = $1', [source]);
        const at = new Date().toISOString();
        for (const e of entries) {
          await client.query('INSERT INTO catalog_entries (source, id, entry, imported_at, imported_by) VALUES ($1,$2,$3,$4,$5)', [source, e.id, JSON.stringify({ ...e, source }), at, importedBy]);
        }
        await client.query('COMMIT');
        return entries.length;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw pgStoreError(error, options.url, 'catalog import');
      } finally {
        client.release();
      }
    },
    async list() {
      try {
        return (await pool.query<{ entry: string }>('SELECT entry FROM catalog_entries ORDER BY source, id')).rows.map((r) => JSON.parse(r.entry) as CatalogEntry);
      } catch (error) {
        throw pgStoreError(error, options.url, 'catalog list');
      }
    },
    close: () => pool.end(),
  };
}

/** The catalog store beside the configured message store. */
export function openCatalogStore(store: LoomConfig['store']): Promise<CatalogStore> {
  return store.kind === 'postgres'
    ? openPostgresCatalogStore({ url: store.url, ...(store.schema ? { schema: store.schema } : {}) })
    : Promise.resolve(openSqliteCatalogStore({ dataDir: store.dataDir }));
}
