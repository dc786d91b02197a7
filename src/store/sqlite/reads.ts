import type Database from 'better-sqlite3';
import type { DeadLetter, DestinationRef, MessageDetail, MessageQuery, OutboxRow, Page, ParkedKey, StoredMessage } from '../../kernel/store.js';
import { MESSAGE_COLUMNS, toDeadLetter, toMessage, toOutbox, type DeadLetterRaw, type MessageRowRaw, type OutboxRowRaw } from './rows.js';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** Prepared once per database: the hot path (claimDue) must not re-parse SQL per call. */
function stmt(db: Database.Database, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

const OUTBOX_SELECT = `SELECT o.*, CASE WHEN o.payload IS NULL THEN m.payload END AS message_payload
  FROM outbox o LEFT JOIN messages m ON m.id = o.message_id`;

/**
 * Due rows of one destination, earliest due first (then id); an ordering key waits while an
 * earlier row of it is undelivered or parked (FIFO per key). INDEXED BY the per-destination
 * due-time index of pending rows (migration 007), whatever the planner's statistics say.
 */
export const CLAIM_DUE = `SELECT o.*, CASE WHEN o.payload IS NULL THEN m.payload END AS message_payload, m.received_at AS message_received_at
  FROM outbox o INDEXED BY outbox_due LEFT JOIN messages m ON m.id = o.message_id
  WHERE o.status = 'pending' AND o.channel = ? AND o.destination = ? AND o.next_attempt_at <= ?
    AND (o.ordering_key IS NULL OR (
      NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.destination = o.destination
                  AND p.ordering_key = o.ordering_key AND p.id < o.id AND p.status IN ('pending','in-flight','parked'))
      AND NOT EXISTS (SELECT 1 FROM parked_keys k WHERE k.channel = o.channel AND k.destination = o.destination
                  AND k.ordering_key = o.ordering_key)))
    AND o.id NOT IN (SELECT value FROM json_each(?))
  ORDER BY o.next_attempt_at, o.id LIMIT ?`;

export function claimDue(db: Database.Database, now: number, limit: number, exclude: ReadonlySet<string>, targets: readonly DestinationRef[]): OutboxRow[] {
  const claim = stmt(db, CLAIM_DUE);
  const excluded = JSON.stringify([...exclude]);
  const rows: OutboxRowRaw[] = [];
  for (const t of targets) {
    if (rows.length >= limit) break;
    rows.push(...(claim.all(t.channel, t.destination, now, excluded, limit - rows.length) as OutboxRowRaw[]));
  }
  return rows.map(toOutbox);
}

export const NEXT_DUE_OF_DESTINATION = "SELECT MIN(next_attempt_at) AS t FROM outbox INDEXED BY outbox_due WHERE status = 'pending' AND channel = ? AND destination = ?";

/** Earliest due time of a pending row of `targets` (of any destination when absent). */
export function nextDueAt(db: Database.Database, targets?: readonly DestinationRef[]): number | undefined {
  if (!targets) return (stmt(db, "SELECT MIN(next_attempt_at) AS t FROM outbox WHERE status = 'pending'").get() as { t: number | null }).t ?? undefined;
  const first = stmt(db, NEXT_DUE_OF_DESTINATION);
  let min: number | undefined;
  for (const t of targets) {
    const at = (first.get(t.channel, t.destination) as { t: number | null }).t;
    if (at !== null && (min === undefined || at < min)) min = at;
  }
  return min;
}

export function getOutbox(db: Database.Database, id: string): OutboxRow | undefined {
  const r = db.prepare(`${OUTBOX_SELECT} WHERE o.id = ?`).get(id) as OutboxRowRaw | undefined;
  return r ? toOutbox(r) : undefined;
}

/** Search by channel, status, time, correlation id and business key; newest first, cursor = last id seen. */
export function search(db: Database.Database, q: MessageQuery): Page<StoredMessage> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.channel) (where.push('channel = ?'), args.push(q.channel));
  if (q.status) (where.push('status = ?'), args.push(q.status));
  if (q.from !== undefined) (where.push('received_at >= ?'), args.push(q.from));
  if (q.to !== undefined) (where.push('received_at < ?'), args.push(q.to));
  if (q.correlationId) (where.push('correlation_id = ?'), args.push(q.correlationId));
  if (q.q) (where.push('id IN (SELECT message_id FROM message_keys WHERE key_value = ?)'), args.push(q.q));
  if (q.cursor) (where.push('id < ?'), args.push(q.cursor));
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 1000);
  const sql = `SELECT ${MESSAGE_COLUMNS} FROM messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...args, limit + 1) as MessageRowRaw[];
  const items = rows.slice(0, limit).map(toMessage);
  return rows.length > limit ? { items, nextCursor: items[items.length - 1].envelope.id } : { items };
}

/** Everything about one message: payload, keys, steps, deliveries, lineage (causation chain) and edits. */
export function show(db: Database.Database, id: string): MessageDetail | undefined {
  const row = db.prepare(`SELECT ${MESSAGE_COLUMNS}, payload FROM messages WHERE id = ?`).get(id) as (MessageRowRaw & { payload: Buffer }) | undefined;
  if (!row) return undefined;
  const lineage = [id];
  let parent = row.causation_id;
  const seen = new Set(lineage);
  while (parent && !seen.has(parent)) {
    lineage.unshift(parent);
    seen.add(parent);
    const p = db.prepare('SELECT causation_id FROM messages WHERE id = ?').get(parent) as { causation_id: string | null } | undefined;
    parent = p?.causation_id ?? null;
  }
  const steps = db.prepare('SELECT * FROM message_steps WHERE message_id = ? ORDER BY seq').all(id) as {
    name: string; status: 'ok'; started_at: number; duration_ms: number; error: string | null;
  }[];
  const edits = db.prepare('SELECT * FROM edits WHERE message_id = ? ORDER BY id').all(id) as {
    id: string; message_id: string; payload: Buffer; created_at: number; actor: string; note: string | null;
  }[];
  return {
    ...toMessage(row),
    payload: new Uint8Array(row.payload),
    keys: (db.prepare('SELECT key_name, key_value FROM message_keys WHERE message_id = ?').all(id) as { key_name: string; key_value: string }[]).map(
      (k) => ({ name: k.key_name, value: k.key_value }),
    ),
    steps: steps.map((s) => ({
      name: s.name, status: s.status, startedAt: s.started_at, durationMs: s.duration_ms, ...(s.error ? { error: s.error } : {}),
    })),
    deliveries: (db.prepare(`${OUTBOX_SELECT} WHERE o.message_id = ? ORDER BY o.id`).all(id) as OutboxRowRaw[]).map(toOutbox),
    lineage,
    edits: edits.map((e) => ({
      id: e.id, messageId: e.message_id, payload: new Uint8Array(e.payload), createdAt: e.created_at, actor: e.actor, ...(e.note ? { note: e.note } : {}),
    })),
  };
}

export function listDeadLetters(
  db: Database.Database,
  q: { channel?: string; includeDiscarded?: boolean; cursor?: string; limit?: number },
): Page<DeadLetter> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.channel) (where.push('channel = ?'), args.push(q.channel));
  if (!q.includeDiscarded) where.push('discarded = 0');
  if (q.cursor) (where.push('id < ?'), args.push(q.cursor));
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 1000);
  const rows = db
    .prepare(`SELECT * FROM dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
    .all(...args, limit + 1) as DeadLetterRaw[];
  const items = rows.slice(0, limit).map(toDeadLetter);
  return rows.length > limit ? { items, nextCursor: items[items.length - 1].id } : { items };
}

export function listParked(db: Database.Database, channel?: string): ParkedKey[] {
  const rows = db
    .prepare(
      `SELECT k.*, (SELECT COUNT(*) FROM outbox o WHERE o.channel = k.channel AND o.destination = k.destination
         AND o.ordering_key = k.ordering_key AND o.status IN ('pending','parked')) AS waiting
       FROM parked_keys k ${channel ? 'WHERE k.channel = ?' : ''} ORDER BY parked_at`,
    )
    .all(...(channel ? [channel] : [])) as {
    channel: string; destination: string; ordering_key: string; outbox_id: string; parked_at: number; reason: string; waiting: number;
  }[];
  return rows.map((r) => ({
    channel: r.channel, destination: r.destination, orderingKey: r.ordering_key, outboxId: r.outbox_id, parkedAt: r.parked_at,
    reason: r.reason, waiting: r.waiting,
  }));
}
