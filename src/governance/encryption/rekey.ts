import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { LoomConfig } from '../../config/schema.js';
import { LoomError } from '../../kernel/errors.js';
import { quoteIdent } from '../../store/postgres/migrate.js';
import { pgStoreError } from '../../store/postgres/errors.js';
import { storeError } from '../../store/sqlite/errors.js';
import type { PayloadCipher } from './cipher.js';

/** The tables whose `payload` column holds message bytes (outbox: NULL = the message's own). */
const TABLES = ['messages', 'outbox', 'edits'] as const;
const BATCH = 500;

export interface RekeyProgress {
  table: (typeof TABLES)[number];
  /** Rows looked at so far, over all tables. */
  done: number;
  total: number;
  /** Rows re-encrypted so far (the rest were already under the current key). */
  rewritten: number;
}

interface Rows {
  count(table: string): Promise<number>;
  page(table: string, afterId: string, limit: number): Promise<Array<{ id: string; payload: Uint8Array }>>;
  /** Compare-and-set, so a row changed meanwhile is left alone. */
  replace(table: string, id: string, old: Uint8Array, next: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * Re-encrypt every stored payload that is plaintext or under an older key with the current key,
 * batch by batch, while Loom keeps running (configure the new key as current and the old one
 * under `previous` first). Reports progress after each batch; returns the totals.
 *
 * @example await rekeyStore(config.store, cipher, (p) => bar.update(p.done));
 */
export async function rekeyStore(store: LoomConfig['store'], cipher: PayloadCipher, onProgress: (p: RekeyProgress) => void = () => undefined): Promise<RekeyProgress> {
  const rows = store.kind === 'postgres' ? await postgresRows(store.url, store.schema ?? 'loom') : sqliteRows(store.dataDir);
  try {
    let total = 0;
    for (const table of TABLES) total += await rows.count(table);
    const progress: RekeyProgress = { table: 'messages', done: 0, total, rewritten: 0 };
    for (const table of TABLES) {
      progress.table = table;
      let after = '';
      for (;;) {
        const page = await rows.page(table, after, BATCH);
        for (const row of page) {
          if (!cipher.isCurrent(row.payload)) {
            await rows.replace(table, row.id, row.payload, cipher.encrypt(cipher.decrypt(row.payload)));
            progress.rewritten += 1;
          }
        }
        progress.done += page.length;
        onProgress({ ...progress });
        const last = page.at(-1);
        if (!last || page.length < BATCH) break;
        after = last.id;
      }
    }
    return progress;
  } finally {
    await rows.close();
  }
}

function sqliteRows(dataDir: string): Rows {
  const file = path.join(dataDir, 'loom.db');
  if (!existsSync(file)) throw new LoomError('store.unavailable', `no Loom store at ${file}`, { location: file, hint: 'pass --data DIR (or --config FILE) of a store Loom has run on' });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  // Zero the bytes of every row version this connection replaces, so the plaintext does not linger in free pages.
  db.pragma('secure_delete = ON');
  const guard = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(storeError(error, file));
    }
  };
  return {
    count: (table) => guard(() => (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE payload IS NOT NULL`).get() as { n: number }).n),
    page: (table, after, limit) => guard(() => (db.prepare(`SELECT id, payload FROM ${table} WHERE id > ? AND payload IS NOT NULL ORDER BY id LIMIT ?`).all(after, limit) as Array<{ id: string; payload: Buffer }>).map((r) => ({ id: r.id, payload: new Uint8Array(r.payload) }))),
    replace: (table, id, old, next) => guard(() => {
      db.prepare(`UPDATE ${table} SET payload = ? WHERE id = ? AND payload = ?`).run(Buffer.from(next), id, Buffer.from(old));
    }),
    close: () => guard(() => {
      // Copy the rewritten pages into the database file and empty the WAL, which held the old bytes too.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }),
  };
}

async function postgresRows(url: string, schema: string): Promise<Rows> {
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000, options: `-c search_path=${quoteIdent(schema)}` });
  pool.on('error', () => undefined);
  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> => {
    try {
      return (await pool.query<T>(sql, params)).rows;
    } catch (error) {
      throw pgStoreError(error, url, 'rekey');
    }
  };
  return {
    count: async (table) => Number((await query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE payload IS NOT NULL`, []))[0]?.n ?? 0),
    page: async (table, after, limit) => (await query<{ id: string; payload: Buffer }>(`SELECT id, payload FROM ${table} WHERE id > $1 AND payload IS NOT NULL ORDER BY id LIMIT $2`, [after, limit])).map((r) => ({ id: r.id, payload: new Uint8Array(r.payload) })),
    replace: async (table, id, old, next) => {
      await query(`UPDATE ${table} SET payload = $1 WHERE id = $2 AND payload = $3`, [Buffer.from(next), id, Buffer.from(old)]);
    },
    close: () => pool.end(),
  };
}
