import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LoomError } from '../../kernel/index.js';
import { applyMigrations } from '../../store/index.js';
import { cursor, emptyCounts, type ProcessStore, type ProcessTx, type SlaSample, type WaitingCount } from './store.js';
import type { Effect, InstanceDetail, InstancePage, InstanceQuery, ProcessInstance, ProcessStatus, TimelineEntry } from './types.js';

interface InstanceRow {
  id: string; process: string; instance_key: string; status: ProcessStatus; waiting_for: string | null; due_at: string | null;
  state: string; created_at: number; updated_at: number; version: number;
}
interface EventRow {
  event_id: string; event_type: string; occurred_at: string; applied_at: number; status: ProcessStatus; waiting_for: string | null; effects: string; source: string | null;
}
interface SampleRow { process: string; instance_key: string; measure: string; started_at: string; ended_at: string; duration_ms: number }

const toInstance = (r: InstanceRow): ProcessInstance => ({
  id: r.id, process: r.process, key: r.instance_key, status: r.status, state: JSON.parse(r.state) as unknown,
  createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
  ...(r.waiting_for !== null ? { waitingFor: r.waiting_for } : {}), ...(r.due_at !== null ? { dueAt: r.due_at } : {}),
});
const toEntry = (r: EventRow): TimelineEntry => ({
  eventId: r.event_id, eventType: r.event_type, occurredAt: r.occurred_at, appliedAt: r.applied_at, status: r.status,
  ...(r.waiting_for !== null ? { waitingFor: r.waiting_for } : {}), effects: JSON.parse(r.effects) as Effect[], ...(r.source !== null ? { source: r.source } : {}),
});

export interface SqliteProcessStoreOptions {
  /** An open better-sqlite3 database, or the data dir whose `loom.db` to open (a second WAL connection). */
  db?: Database.Database;
  dataDir?: string;
  migrate?: boolean;
}

/**
 * Open the SQLite ProcessStore on the engine's `loom.db` (its own tables, from `002_processes.sql`).
 *
 * @example const store = await openSqliteProcessStore({ dataDir: './.loom' });
 */
export async function openSqliteProcessStore(options: SqliteProcessStoreOptions): Promise<SqliteProcessStore> {
  let db = options.db;
  const owned = db === undefined;
  if (db === undefined) {
    const dir = path.resolve(options.dataDir ?? '.loom');
    try {
      mkdirSync(dir, { recursive: true });
      db = new Database(path.join(dir, 'loom.db'));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
    } catch (cause) {
      throw new LoomError('store.unwritable', `cannot open the process store in ${dir}: ${String(cause)}`, { cause, hint: 'check that the data folder exists and is writable' });
    }
  }
  const store = new SqliteProcessStore(db, owned);
  if (options.migrate !== false) await store.migrate();
  return store;
}

/** SQLite adapter of the ProcessStore port. Every call runs in turn on one connection. */
export class SqliteProcessStore implements ProcessStore {
  readonly kind = 'sqlite';
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Database.Database, private readonly owned: boolean) {}

  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  migrate(): Promise<string[]> {
    return this.serial(() => applyMigrations(this.db));
  }

  transaction<T>(fn: (tx: ProcessTx) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      const db = this.db;
      const tx: ProcessTx = {
        find: async (id) => {
          const r = db.prepare('SELECT * FROM process_instances WHERE id = ?').get(id) as InstanceRow | undefined;
          return r ? toInstance(r) : undefined;
        },
        applied: async (id, eventId) => {
          const r = db.prepare('SELECT * FROM process_events WHERE instance_id = ? AND event_id = ?').get(id, eventId) as EventRow | undefined;
          return r ? toEntry(r) : undefined;
        },
        record: async (i, e) => {
          db.prepare(`INSERT INTO process_instances (id, process, instance_key, status, waiting_for, due_at, due_ms, state, created_at, updated_at, version)
            VALUES (@id, @process, @key, @status, @waitingFor, @dueAt, @dueMs, @state, @createdAt, @updatedAt, @version)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, waiting_for = excluded.waiting_for, due_at = excluded.due_at,
              due_ms = excluded.due_ms, state = excluded.state, updated_at = excluded.updated_at, version = excluded.version`).run({
            id: i.id, process: i.process, key: i.key, status: i.status, waitingFor: i.waitingFor ?? null, dueAt: i.dueAt ?? null,
            dueMs: i.dueAt ? Date.parse(i.dueAt) : null, state: JSON.stringify(i.state), createdAt: i.createdAt, updatedAt: i.updatedAt, version: i.version,
          });
          db.prepare(`INSERT INTO process_events (instance_id, seq, event_id, event_type, occurred_at, applied_at, status, waiting_for, effects, source)
            VALUES (?,?,?,?,?,?,?,?,?,?)`).run(i.id, i.version, e.eventId, e.eventType, e.occurredAt, e.appliedAt, e.status, e.waitingFor ?? null, JSON.stringify(e.effects), e.source ?? null);
        },
        addSample: async (s) =>
          db.prepare(`INSERT OR IGNORE INTO process_sla_samples (process, instance_key, measure, started_at, ended_at, duration_ms) VALUES (?,?,?,?,?,?)`)
            .run(s.process, s.key, s.measure, s.startedAt, s.endedAt, s.durationMs).changes === 1,
      };
      // IMMEDIATE: take the write lock up front so the engine's group commit waits (busy_timeout) rather than failing mid-way
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(tx);
        db.exec('COMMIT');
        return out;
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  get(id: string): Promise<InstanceDetail | undefined> {
    return this.serial(() => {
      const r = this.db.prepare('SELECT * FROM process_instances WHERE id = ?').get(id) as InstanceRow | undefined;
      if (!r) return undefined;
      const events = this.db.prepare('SELECT * FROM process_events WHERE instance_id = ? ORDER BY seq').all(id) as EventRow[];
      return { ...toInstance(r), timeline: events.map(toEntry) };
    });
  }

  list(q: InstanceQuery): Promise<InstancePage> {
    return this.serial(() => {
      const where: string[] = [];
      const args: Array<string | number> = [];
      if (q.process) { where.push('process = ?'); args.push(q.process); }
      if (q.status) { where.push('status = ?'); args.push(q.status); }
      if (q.key !== undefined) {
        if (q.key.endsWith('*')) { where.push("instance_key LIKE ? ESCAPE '\\'"); args.push(`${q.key.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`); }
        else { where.push('instance_key = ?'); args.push(q.key); }
      }
      const after = cursor.decode(q.cursor);
      if (after !== undefined) { where.push('id > ?'); args.push(after); }
      const limit = Math.max(1, Math.min(q.limit ?? 50, 500));
      const rows = this.db.prepare(`SELECT * FROM process_instances ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`)
        .all(...args, limit + 1) as InstanceRow[];
      const items = rows.slice(0, limit).map(toInstance);
      return { items, ...(rows.length > limit ? { nextCursor: cursor.encode(items[items.length - 1].id) } : {}) };
    });
  }

  countByStatus(process?: string): Promise<Record<ProcessStatus, number>> {
    return this.serial(() => {
      const rows = (process
        ? this.db.prepare('SELECT status, COUNT(*) AS n FROM process_instances WHERE process = ? GROUP BY status').all(process)
        : this.db.prepare('SELECT status, COUNT(*) AS n FROM process_instances GROUP BY status').all()) as Array<{ status: ProcessStatus; n: number }>;
      const out = emptyCounts();
      for (const r of rows) out[r.status] = r.n;
      return out;
    });
  }

  countWaiting(): Promise<WaitingCount[]> {
    return this.serial(() => (this.db.prepare(`SELECT process, status, waiting_for AS waitingFor, COUNT(*) AS count FROM process_instances
      WHERE waiting_for IS NOT NULL AND status <> 'completed' GROUP BY process, status, waiting_for`).all() as WaitingCount[]));
  }

  listDue(nowIso: string, limit: number): Promise<ProcessInstance[]> {
    return this.serial(() => (this.db.prepare('SELECT * FROM process_instances WHERE due_ms IS NOT NULL AND due_ms <= ? ORDER BY due_ms LIMIT ?')
      .all(Date.parse(nowIso), limit) as InstanceRow[]).map(toInstance));
  }

  slaSamples(q: { process?: string; measure?: string; limit?: number } = {}): Promise<SlaSample[]> {
    return this.serial(() => {
      const rows = this.db.prepare(`SELECT * FROM process_sla_samples WHERE (? IS NULL OR process = ?) AND (? IS NULL OR measure = ?) ORDER BY ended_at LIMIT ?`)
        .all(q.process ?? null, q.process ?? null, q.measure ?? null, q.measure ?? null, q.limit ?? 1000) as SampleRow[];
      return rows.map((r) => ({ process: r.process, key: r.instance_key, measure: r.measure, startedAt: r.started_at, endedAt: r.ended_at, durationMs: r.duration_ms }));
    });
  }

  close(): Promise<void> {
    return this.serial(() => {
      if (this.owned && this.db.open) this.db.close();
    });
  }
}
