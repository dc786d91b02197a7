import type pg from 'pg';
import { newId } from '../../kernel/index.js';
import type { BusinessKey, Completion, DeadLetter, JournalEntry, JournalResult, NewOutboxRow } from '../../kernel/store.js';
import { bytea } from './rows.js';

/** Anything that runs a query: a pool client inside a transaction. */
export type Db = Pick<pg.PoolClient, 'query'>;

/**
 * Journal one message inside the caller's transaction. The IdempotentReceiver check is one upsert
 * on `idempotency_keys`: the row lock it takes makes two nodes journaling the same key at once
 * agree on which is first (the second waits, then sees the first and answers duplicate).
 */
export async function journal(db: Db, entry: JournalEntry): Promise<JournalResult> {
  const env = entry.envelope;
  const at = Date.parse(env.receivedAt);
  let status: 'received' | 'rejected' | 'duplicate' = entry.status;
  let error = entry.errors && entry.errors.length > 0 ? JSON.stringify(entry.errors) : null;
  let duplicateOf: string | undefined;
  const window = entry.dedupWindowMs ?? 0;
  if (status === 'received' && entry.dedupKey && window > 0) {
    // keep the earlier holder while it is inside the window (also when it is newer: out-of-order arrival)
    const r = await db.query<{ message_id: string }>(
      `INSERT INTO idempotency_keys (source, dedup_key, message_id, received_at) VALUES ($1,$2,$3,$4)
       ON CONFLICT (source, dedup_key) DO UPDATE SET
         message_id = CASE WHEN idempotency_keys.received_at >= $5 THEN idempotency_keys.message_id ELSE EXCLUDED.message_id END,
         received_at = CASE WHEN idempotency_keys.received_at >= $5 THEN idempotency_keys.received_at ELSE EXCLUDED.received_at END
       RETURNING message_id`,
      [env.sourceSystem, entry.dedupKey, env.id, at, at - window],
    );
    const holder = r.rows[0]?.message_id;
    if (holder !== undefined && holder !== env.id) {
      status = 'duplicate';
      duplicateOf = holder;
      error = JSON.stringify([{ code: 'intake.duplicate', message: `duplicate of message ${holder}` }]);
    }
  }
  await db.query(
    `INSERT INTO messages (id, channel, correlation_id, causation_id, source_system, content_type, received_at, headers,
      control_id, message_type, status, error, payload, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
    [env.id, env.channel, env.correlationId, env.causationId ?? null, env.sourceSystem, env.contentType, at,
      JSON.stringify(env.headers), entry.controlId ?? null, entry.messageType ?? null, status, error, bytea(entry.payload), at],
  );
  const keys = [...(entry.keys ?? [])];
  if (entry.controlId) keys.push({ name: 'controlId', value: entry.controlId });
  await insertKeys(db, env.id, keys);
  const outcome = status === 'received' ? 'accepted' : status;
  return { id: env.id, outcome, ...(duplicateOf ? { duplicateOf } : {}) };
}

async function insertKeys(db: Db, messageId: string, keys: BusinessKey[]): Promise<void> {
  if (keys.length === 0) return;
  await db.query(
    `INSERT INTO message_keys (message_id, key_name, key_value) SELECT $1, n, v FROM unnest($2::text[], $3::text[]) AS k(n, v)
     ON CONFLICT DO NOTHING`,
    [messageId, keys.map((k) => k.name), keys.map((k) => k.value)],
  );
}

/** Pipeline result: status, steps, keys, outbox rows and derived messages in the caller's transaction. */
export async function complete(db: Db, c: Completion, now: number): Promise<void> {
  await db.query('UPDATE messages SET status = $1, error = $2, correlation_id = COALESCE($3, correlation_id), updated_at = $4 WHERE id = $5', [
    c.status, c.error ?? null, c.correlationId ?? null, now, c.messageId,
  ]);
  for (const [i, s] of c.steps.entries()) {
    await db.query(
      `INSERT INTO message_steps (message_id, seq, name, status, started_at, duration_ms, error) VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (message_id, seq) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status, started_at = EXCLUDED.started_at,
         duration_ms = EXCLUDED.duration_ms, error = EXCLUDED.error`,
      [c.messageId, i, s.name, s.status, s.startedAt, s.durationMs, s.error ?? null],
    );
  }
  await insertKeys(db, c.messageId, c.keys);
  await outbox(db, c.outbox, now);
  for (const child of c.children) await journal(db, child);
}

export async function outbox(db: Db, rows: NewOutboxRow[], now: number): Promise<void> {
  for (const r of rows) {
    await db.query(
      // due at once: 0 rather than `now`, so an injected clock behind the wall clock still sees it due
      `INSERT INTO outbox (id, message_id, channel, destination, status, attempts, next_attempt_at, idempotency_key, ordering_key,
        payload, content_type, headers, created_at) VALUES ($1,$2,$3,$4,'pending',0,0,$5,$6,$7,$8,$9,$10)`,
      [r.id, r.messageId, r.channel, r.destination, r.idempotencyKey, r.orderingKey ?? null, r.payload ? bytea(r.payload) : null,
        r.contentType, JSON.stringify(r.headers), now],
    );
  }
}

export async function markDead(db: Db, id: string, attempts: number, error: { code: string; message: string }, now: number): Promise<DeadLetter> {
  const row = (await db.query<{ message_id: string; channel: string; destination: string }>(
    "UPDATE outbox SET status = 'dead', attempts = $1, last_error = $2, lease_until = NULL WHERE id = $3 RETURNING message_id, channel, destination",
    [attempts, error.message, id],
  )).rows[0];
  const dlId = newId(now);
  await db.query(
    `INSERT INTO dead_letters (id, outbox_id, message_id, channel, destination, reason, code, created_at)
     SELECT $1, id, message_id, channel, destination, $2, $3, $4 FROM outbox WHERE id = $5`,
    [dlId, error.message, error.code, now, id],
  );
  return {
    id: dlId, outboxId: id, messageId: row?.message_id ?? '', channel: row?.channel ?? '', destination: row?.destination ?? '',
    reason: error.message, code: error.code, createdAt: now, discarded: false,
  };
}

export async function park(db: Db, id: string, attempts: number, error: { code: string; message: string }, now: number): Promise<void> {
  await db.query("UPDATE outbox SET status = 'parked', attempts = $1, last_error = $2, lease_until = NULL WHERE id = $3", [attempts, error.message, id]);
  await db.query(
    `INSERT INTO parked_keys (destination, ordering_key, channel, outbox_id, parked_at, reason)
     SELECT destination, ordering_key, channel, id, $1, $2 FROM outbox WHERE id = $3 AND ordering_key IS NOT NULL
     ON CONFLICT DO NOTHING`,
    [now, `${error.code}: ${error.message}`, id],
  );
}

/** Un-park a key: its parked rows go back to pending in their original (id) order. */
export async function releaseParked(db: Db, channel: string, destination: string, orderingKey: string, now: number): Promise<number> {
  await db.query('DELETE FROM parked_keys WHERE channel = $1 AND destination = $2 AND ordering_key = $3', [channel, destination, orderingKey]);
  const r = await db.query(
    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, lease_until = NULL WHERE channel = $2 AND destination = $3 AND ordering_key = $4 AND status = 'parked'",
    [now, channel, destination, orderingKey],
  );
  return r.rowCount ?? 0;
}
