import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { LoomError } from '../../kernel/errors.js';
import type { Page } from '../../kernel/store.js';
import { storeError } from '../../store/sqlite/errors.js';
import { applyMigrations, loadMigrations } from '../../store/sqlite/migrate.js';
import { INSERT_COLUMNS, querySql, toPage, toRecord, toValues, type AuditRowRaw } from './rows.js';
import type { AuditQuery, AuditRecord, AuditStore, ChainHead } from './types.js';

export interface SqliteAuditStoreOptions {
  /** Folder of `loom.db` (the message store's file). */
  dataDir: string;
  /** Open an existing store for reading only (`loom audit verify`): no file is created, nothing migrated. */
  readonly?: boolean;
}

/**
 * The audit log in the embedded store's `loom.db`, on its own connection (WAL, synchronous=FULL:
 * an appended row is on disk when `append` resolves). Appends take SQLite's write lock
 * (BEGIN IMMEDIATE), so appenders in other processes on the same file are serialized too.
 *
 * @example const audit = new AuditLog(openSqliteAuditStore({ dataDir: '.loom' }));
 */
export function openSqliteAuditStore(options: SqliteAuditStoreOptions): SqliteAuditStore {
  const dataDir = path.resolve(options.dataDir);
  const file = path.join(dataDir, 'loom.db');
  try {
    if (options.readonly) {
      if (!existsSync(file)) {
        throw new LoomError('store.unavailable', `no Loom store at ${file}`, { location: file, hint: 'pass --data DIR (or --config FILE) of a store Loom has run on' });
      }
      return new SqliteAuditStore(new Database(file, { readonly: true, fileMustExist: true }), file);
    }
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    // Only our own migration: the message store applies the rest (the runner keys on version).
    applyMigrations(db, loadMigrations().filter((m) => m.name.endsWith('_audit_log')));
    return new SqliteAuditStore(db, file);
  } catch (error) {
    throw storeError(error, file);
  }
}

export class SqliteAuditStore implements AuditStore {
  readonly kind = 'sqlite';

  constructor(private readonly db: Database.Database, readonly file: string) {}

  append(build: (head: ChainHead | undefined) => AuditRecord): Promise<AuditRecord> {
    return this.run(() => {
      const insert = this.db.prepare(`INSERT INTO audit_log ${INSERT_COLUMNS} VALUES (?,?,?,?,?,?,?,?)`);
      return this.db.transaction(() => {
        const record = build(this.currentHead());
        insert.run(...toValues(record));
        return record;
      }).immediate();
    });
  }

  head(): Promise<ChainHead | undefined> {
    return this.run(() => this.currentHead());
  }

  scan(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    return this.run(() => (this.db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as AuditRowRaw[]).map(toRecord));
  }

  findByHash(hash: string): Promise<AuditRecord | undefined> {
    return this.run(() => {
      const row = this.db.prepare('SELECT * FROM audit_log WHERE hash = ? ORDER BY seq LIMIT 1').get(hash) as AuditRowRaw | undefined;
      return row ? toRecord(row) : undefined;
    });
  }

  query(query: AuditQuery): Promise<Page<AuditRecord>> {
    return this.run(() => {
      const { sql, params } = querySql(query, () => '?');
      return toPage(this.db.prepare(sql).all(...params) as AuditRowRaw[], query);
    });
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  private currentHead(): ChainHead | undefined {
    const row = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
  }

  private run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(storeError(error, this.file));
    }
  }
}
