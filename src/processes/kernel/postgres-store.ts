import type pg from 'pg';
import { openPgPool, type PgLocation, type PgPool } from '../../store/postgres/index.js';
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

/**
 * Open the PostgreSQL ProcessStore (tables of `003_processes.sql`) on the message store's URL and
 * schema, so every Loom node sees the same instances.
 *
 * @example const store = await openPostgresProcessStore({ url: 'postgres://loom@db/loom', schema: 'loom' });
 */
export async function openPostgresProcessStore(location: PgLocation): Promise<PostgresProcessStore> {
  return new PostgresProcessStore(await openPgPool(location, 'process store'));
}

/**
 * PostgreSQL adapter of the ProcessStore port. Transactions run concurrently; two nodes applying
 * events to the same instance are serialized by a transaction-scoped advisory lock on the instance
 * id, taken before the instance is read (a deadlock between two multi-instance transactions is
 * detected by PostgreSQL and retried by PgPool.tx).
 */
export class PostgresProcessStore implements ProcessStore {
  readonly kind = 'postgres';

  constructor(private readonly db: PgPool) {}

  migrate(): Promise<string[]> {
    return this.db.migrate();
  }

  transaction<T>(fn: (tx: ProcessTx) => Promise<T>): Promise<T> {
    return this.db.tx('process transaction', async (c) => {
      const locked = new Set<string>();
      const lock = async (id: string): Promise<void> => {
        if (locked.has(id)) return;
        await c.query("SELECT pg_advisory_xact_lock(hashtext('loom.process'), hashtext($1))", [id]);
        locked.add(id);
      };
      const tx: ProcessTx = {
        find: async (id) => {
          await lock(id);
          const r = (await c.query<InstanceRow>('SELECT * FROM process_instances WHERE id = $1', [id])).rows[0];
          return r ? toInstance(r) : undefined;
        },
        applied: async (id, eventId) => {
          await lock(id);
          const r = (await c.query<EventRow>('SELECT * FROM process_events WHERE instance_id = $1 AND event_id = $2', [id, eventId])).rows[0];
          return r ? toEntry(r) : undefined;
        },
        record: async (i, e) => {
          await lock(i.id);
          await c.query(`INSERT INTO process_instances (id, process, instance_key, status, waiting_for, due_at, due_ms, state, created_at, updated_at, version)
            VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, waiting_for = excluded.waiting_for, due_at = excluded.due_at,
              due_ms = excluded.due_ms, state = excluded.state, updated_at = excluded.updated_at, version = excluded.version`,
          [i.id, i.process, i.key, i.status, i.waitingFor ?? null, i.dueAt ?? null, i.dueAt ? Date.parse(i.dueAt) : null, JSON.stringify(i.state), i.createdAt, i.updatedAt, i.version]);
          await c.query(`INSERT INTO process_events (instance_id, seq, event_id, event_type, occurred_at, applied_at, status, waiting_for, effects, source)
            VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
          [i.id, i.version, e.eventId, e.eventType, e.occurredAt, e.appliedAt, e.status, e.waitingFor ?? null, JSON.stringify(e.effects), e.source ?? null]);
        },
        addSample: async (s) =>
          ((await c.query(`INSERT INTO process_sla_samples (process, instance_key, measure, started_at, ended_at, duration_ms) VALUES ($1,$2,$3,$4,$5,$6)
            ON CONFLICT DO NOTHING`, [s.process, s.key, s.measure, s.startedAt, s.endedAt, s.durationMs])).rowCount ?? 0) === 1,
      };
      return fn(tx);
    });
  }

  get(id: string): Promise<InstanceDetail | undefined> {
    return this.db.read('get', async (p) => {
      const r = (await p.query<InstanceRow>('SELECT * FROM process_instances WHERE id = $1', [id])).rows[0];
      if (!r) return undefined;
      const events = (await p.query<EventRow>('SELECT * FROM process_events WHERE instance_id = $1 ORDER BY seq', [id])).rows;
      return { ...toInstance(r), timeline: events.map(toEntry) };
    });
  }

  list(q: InstanceQuery): Promise<InstancePage> {
    return this.db.read('list', async (p) => {
      const where: string[] = [];
      const args: Array<string | number> = [];
      const arg = (v: string | number): string => {
        args.push(v);
        return `$${args.length}`;
      };
      if (q.process) where.push(`process = ${arg(q.process)}`);
      if (q.status) where.push(`status = ${arg(q.status)}`);
      if (q.key !== undefined) {
        if (q.key.endsWith('*')) where.push(`instance_key LIKE ${arg(`${q.key.slice(0, -1).replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)} ESCAPE '\\'`);
        else where.push(`instance_key = ${arg(q.key)}`);
      }
      const after = cursor.decode(q.cursor);
      if (after !== undefined) where.push(`id > ${arg(after)}`);
      const limit = Math.max(1, Math.min(q.limit ?? 50, 500));
      const rows = (await p.query<InstanceRow>(`SELECT * FROM process_instances ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ${arg(limit + 1)}`, args)).rows;
      const items = rows.slice(0, limit).map(toInstance);
      return { items, ...(rows.length > limit ? { nextCursor: cursor.encode(items[items.length - 1].id) } : {}) };
    });
  }

  countByStatus(process?: string): Promise<Record<ProcessStatus, number>> {
    return this.db.read('countByStatus', async (p) => {
      const rows = (await p.query<{ status: ProcessStatus; n: number }>(
        'SELECT status, COUNT(*) AS n FROM process_instances WHERE ($1::text IS NULL OR process = $1) GROUP BY status', [process ?? null])).rows;
      const out = emptyCounts();
      for (const r of rows) out[r.status] = r.n;
      return out;
    });
  }

  countWaiting(): Promise<WaitingCount[]> {
    return this.db.read('countWaiting', async (p) => (await p.query<WaitingCount>(`SELECT process, status, waiting_for AS "waitingFor", COUNT(*) AS count
      FROM process_instances WHERE waiting_for IS NOT NULL AND status <> 'completed' GROUP BY process, status, waiting_for`)).rows);
  }

  listDue(nowIso: string, limit: number): Promise<ProcessInstance[]> {
    return this.db.read('listDue', async (p) => (await p.query<InstanceRow>(
      'SELECT * FROM process_instances WHERE due_ms IS NOT NULL AND due_ms <= $1 ORDER BY due_ms LIMIT $2', [Date.parse(nowIso), limit])).rows.map(toInstance));
  }

  slaSamples(q: { process?: string; measure?: string; limit?: number } = {}): Promise<SlaSample[]> {
    return this.db.read('slaSamples', async (p: pg.Pool) => {
      const rows = (await p.query<SampleRow>(`SELECT * FROM process_sla_samples WHERE ($1::text IS NULL OR process = $1) AND ($2::text IS NULL OR measure = $2)
        ORDER BY ended_at COLLATE "C" LIMIT $3`, [q.process ?? null, q.measure ?? null, q.limit ?? 1000])).rows;
      return rows.map((r) => ({ process: r.process, key: r.instance_key, measure: r.measure, startedAt: r.started_at, endedAt: r.ended_at, durationMs: r.duration_ms }));
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
