import type { DeadLetter, DestinationRef, MessageDetail, MessageQuery, OutboxRow, Page, ParkedKey, StoredMessage } from '../../kernel/store.js';
import { MESSAGE_COLUMNS, toDeadLetter, toMessage, toOutbox, type PgDeadLetterRow, type PgMessageRow, type PgOutboxRow } from './rows.js';
import type { Db } from './writes.js';

const PAYLOAD_JOIN = 'CASE WHEN o.payload IS NULL THEN m.payload END AS message_payload';
const OUTBOX_SELECT = `SELECT o.*, ${PAYLOAD_JOIN} FROM outbox o LEFT JOIN messages m ON m.id = o.message_id`;

/**
 * Claim due rows in id order for this node. An ordering key waits while an earlier row of it is
 * undelivered or parked (FIFO per key). `FOR UPDATE SKIP LOCKED` plus a lease (`lease_until`) keep
 * two nodes from claiming the same row; status stays `pending`, as in the SQLite store, so a row the
 * engine skips (destination gone after a reload) comes back once the lease ends.
 */
export async function claimDue(
  db: Db, now: number, limit: number, exclude: ReadonlySet<string>, targets: readonly DestinationRef[], leaseMs: number,
): Promise<OutboxRow[]> {
  const r = await db.query<PgOutboxRow>(
    `WITH t AS (SELECT * FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(channel, destination, n)),
     c AS (
       SELECT o.id FROM outbox o JOIN t ON t.channel = o.channel AND t.destination = o.destination
       WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until <= $1)
         AND NOT (o.id = ANY($4::text[]))
         AND (o.ordering_key IS NULL OR (
           NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.destination = o.destination
                       AND p.ordering_key = o.ordering_key AND p.id < o.id AND p.status IN ('pending','in-flight','parked'))
           AND NOT EXISTS (SELECT 1 FROM parked_keys k WHERE k.channel = o.channel AND k.destination = o.destination
                       AND k.ordering_key = o.ordering_key)))
       ORDER BY t.n, o.next_attempt_at, o.id LIMIT $5
       FOR UPDATE OF o SKIP LOCKED),
     u AS (UPDATE outbox SET lease_until = $6 FROM c WHERE outbox.id = c.id RETURNING outbox.*)
     SELECT u.*, CASE WHEN u.payload IS NULL THEN m.payload END AS message_payload, m.received_at AS message_received_at
     FROM u LEFT JOIN messages m ON m.id = u.message_id
     ORDER BY array_position($2::text[], u.channel), u.next_attempt_at, u.id`,
    [now, targets.map((t) => t.channel), targets.map((t) => t.destination), [...exclude], limit, now + leaseMs],
  );
  return r.rows.map(toOutbox);
}

/** Earliest time a pending row (of `targets`, when given) is due; a row leased by another node counts from its lease end. */
export async function nextDueAt(db: Db, targets?: readonly DestinationRef[]): Promise<number | undefined> {
  const due = 'MIN(GREATEST(o.next_attempt_at, COALESCE(o.lease_until, 0)))';
  const r = targets
    ? await db.query<{ t: string | null }>(
      `SELECT ${due} AS t FROM outbox o JOIN unnest($1::text[], $2::text[]) AS t(channel, destination)
         ON t.channel = o.channel AND t.destination = o.destination WHERE o.status = 'pending'`,
      [targets.map((t) => t.channel), targets.map((t) => t.destination)],
    )
    : await db.query<{ t: string | null }>(`SELECT ${due} AS t FROM outbox o WHERE o.status = 'pending'`);
  const t = r.rows[0]?.t;
  return t === null || t === undefined ? undefined : Number(t);
}

export async function getOutbox(db: Db, id: string): Promise<OutboxRow | undefined> {
  const r = (await db.query<PgOutboxRow>(`${OUTBOX_SELECT} WHERE o.id = $1`, [id])).rows[0];
  return r ? toOutbox(r) : undefined;
}

/** Search by channel, status, time, correlation id and business key; newest first, cursor = last id seen. */
export async function search(db: Db, q: MessageQuery): Promise<Page<StoredMessage>> {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, value: unknown): void => {
    args.push(value);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (q.channel) add('channel = ?', q.channel);
  if (q.status) add('status = ?', q.status);
  if (q.from !== undefined) add('received_at >= ?', q.from);
  if (q.to !== undefined) add('received_at < ?', q.to);
  if (q.correlationId) add('correlation_id = ?', q.correlationId);
  if (q.q) add('id IN (SELECT message_id FROM message_keys WHERE key_value = ?)', q.q);
  if (q.cursor) add('id < ?', q.cursor);
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 1000);
  args.push(limit + 1);
  const sql = `SELECT ${MESSAGE_COLUMNS} FROM messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${args.length}`;
  const rows = (await db.query<PgMessageRow>(sql, args)).rows;
  const items = rows.slice(0, limit).map(toMessage);
  return rows.length > limit ? { items, nextCursor: items[items.length - 1].envelope.id } : { items };
}

/** Everything about one message: payload, keys, steps, deliveries, lineage (causation chain) and edits. */
export async function show(db: Db, id: string): Promise<MessageDetail | undefined> {
  const row = (await db.query<PgMessageRow & { payload: Buffer }>(`SELECT ${MESSAGE_COLUMNS}, payload FROM messages WHERE id = $1`, [id])).rows[0];
  if (!row) return undefined;
  // causation chain walked in one recursive query, oldest first; `seen` guards against a cycle
  const chain = await db.query<{ id: string }>(
    `WITH RECURSIVE up(id, causation_id, depth, seen) AS (
       SELECT id, causation_id, 0, ARRAY[id] FROM messages WHERE id = $1
       UNION ALL
       SELECT m.id, m.causation_id, up.depth + 1, up.seen || m.id FROM up JOIN messages m ON m.id = up.causation_id
       WHERE NOT (m.id = ANY(up.seen)))
     SELECT id FROM up ORDER BY depth DESC`,
    [id],
  );
  const lineage = chain.rows.map((r) => r.id);
  // SQLite also lists a missing (pruned) parent id at the head of the chain
  const top = (await db.query<{ causation_id: string | null }>('SELECT causation_id FROM messages WHERE id = $1', [lineage[0]])).rows[0];
  if (top?.causation_id && !lineage.includes(top.causation_id)) lineage.unshift(top.causation_id);
  const steps = (await db.query<{ name: string; status: 'ok'; started_at: number; duration_ms: number; error: string | null }>(
    'SELECT * FROM message_steps WHERE message_id = $1 ORDER BY seq', [id],
  )).rows;
  const edits = (await db.query<{ id: string; message_id: string; payload: Buffer; created_at: number; actor: string; note: string | null }>(
    'SELECT * FROM edits WHERE message_id = $1 ORDER BY id', [id],
  )).rows;
  const keys = (await db.query<{ key_name: string; key_value: string }>('SELECT key_name, key_value FROM message_keys WHERE message_id = $1', [id])).rows;
  const deliveries = (await db.query<PgOutboxRow>(`${OUTBOX_SELECT} WHERE o.message_id = $1 ORDER BY o.id`, [id])).rows;
  return {
    ...toMessage(row),
    payload: new Uint8Array(row.payload),
    keys: keys.map((k) => ({ name: k.key_name, value: k.key_value })),
    steps: steps.map((s) => ({
      name: s.name, status: s.status, startedAt: s.started_at, durationMs: s.duration_ms, ...(s.error ? { error: s.error } : {}),
    })),
    deliveries: deliveries.map(toOutbox),
    lineage,
    edits: edits.map((e) => ({
      id: e.id, messageId: e.message_id, payload: new Uint8Array(e.payload), createdAt: e.created_at, actor: e.actor, ...(e.note ? { note: e.note } : {}),
    })),
  };
}

export async function listDeadLetters(db: Db, q: { channel?: string; includeDiscarded?: boolean; cursor?: string; limit?: number }): Promise<Page<DeadLetter>> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.channel) (args.push(q.channel), where.push(`channel = $${args.length}`));
  if (!q.includeDiscarded) where.push('NOT discarded');
  if (q.cursor) (args.push(q.cursor), where.push(`id < $${args.length}`));
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 1000);
  args.push(limit + 1);
  const rows = (await db.query<PgDeadLetterRow>(
    `SELECT * FROM dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${args.length}`, args,
  )).rows;
  const items = rows.slice(0, limit).map(toDeadLetter);
  return rows.length > limit ? { items, nextCursor: items[items.length - 1].id } : { items };
}

export async function listParked(db: Db, channel?: string): Promise<ParkedKey[]> {
  const rows = (await db.query<{
    channel: string; destination: string; ordering_key: string; outbox_id: string; parked_at: number; reason: string; waiting: number;
  }>(
    `SELECT k.*, (SELECT COUNT(*) FROM outbox o WHERE o.channel = k.channel AND o.destination = k.destination
       AND o.ordering_key = k.ordering_key AND o.status IN ('pending','parked')) AS waiting
     FROM parked_keys k ${channel ? 'WHERE k.channel = $1' : ''} ORDER BY parked_at`,
    channel ? [channel] : [],
  )).rows;
  return rows.map((r) => ({
    channel: r.channel, destination: r.destination, orderingKey: r.ordering_key, outboxId: r.outbox_id, parkedAt: r.parked_at,
    reason: r.reason, waiting: r.waiting,
  }));
}
