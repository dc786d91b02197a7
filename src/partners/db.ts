import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LoomError } from '../kernel/index.js';
import { applyMigrations } from '../store/sqlite/migrate.js';

/**
 * Open `<dataDir>/loom.db` on a connection of our own (WAL, FULL sync, busy timeout) and apply
 * the numbered migrations (004_trading_partners among them). The store may share the file.
 *
 * @example const db = openPartnerDb('.loom');
 */
export function openPartnerDb(dataDir: string): Database.Database {
  const file = path.join(dataDir, 'loom.db');
  try {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // FULL: a control number is on disk before anyone sees it (no reuse after a power cut).
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 10000');
    db.transaction(() => applyMigrations(db)).immediate();
    return db;
  } catch (cause) {
    throw new LoomError('store.unwritable', `cannot open the trading-partner tables in ${file}: ${String(cause)}`, { location: file, hint: 'check that the data folder exists and is writable', cause });
  }
}
