import type Database from 'better-sqlite3';
import { newId } from '../../kernel/index.js';
import type { Completion, DeadLetter, JournalEntry, JournalResult, NewOutboxRow } from '../../kernel/store.js';
import { blob } from './rows.js';

/** Prepared write statements; each function runs inside a group-commit transaction. */
export class Writes {
  private readonly insertMessage: Database.Statement;
  private readonly insertKey: Database.Statement;
  private readonly findIdem: Database.Statement;
  private readonly upsertIdem: Database.Statement;
  private readonly updateMessage: Database.Statement;
  private readonly insertStep: Database.Statement;
  private readonly insertOutbox: Database.Statement;
  private readonly delivered: Database.Statement;
  private readonly retry: Database.Statement;
  private readonly setStatus: Database.Statement;
  private readonly insertDead: Database.Statement;
  private readonly insertParked: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertMessage = db.prepare(
      `INSERT INTO messages (id, channel, correlation_id, causation_id, source_system, content_type, received_at, headers,
        control_id, message_type, status, error, payload, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    this.insertKey = db.prepare('INSERT OR IGNORE INTO message_keys (message_id, key_name, key_value) VALUES (?,?,?)');
    this.findIdem = db.prepare('SELECT message_id, received_at FROM idempotency_keys WHERE source = ? AND dedup_key = ?');
    this.upsertIdem = db.prepare(
      `INSERT INTO idempotency_keys (source, dedup_key, message_id, received_at) VALUES (?,?,?,?)
       ON CONFLICT (source, dedup_key) DO UPDATE SET message_id = excluded.message_id, received_at = excluded.received_at`,
    );
    this.updateMessage = db.prepare('UPDATE messages SET status = ?, error = ?, correlation_id = COALESCE(?, correlation_id), updated_at = ? WHERE id = ?');
    this.insertStep = db.prepare(
      'INSERT OR REPLACE INTO message_steps (message_id, seq, name, status, started_at, duration_ms, error) VALUES (?,?,?,?,?,?,?)',
    );
    this.insertOutbox = db.prepare(
      `INSERT INTO outbox (id, message_id, channel, destination, status, attempts, next_attempt_at, idempotency_key, ordering_key,
        payload, content_type, headers, created_at) VALUES (?,?,?,?,'pending',0,?,?,?,?,?,?,?)`,
    );
    this.delivered = db.prepare(
      "UPDATE outbox SET status = 'delivered', delivered_at = ?, response = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
    );
    this.retry = db.prepare("UPDATE outbox SET status = 'pending', attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?");
    this.setStatus = db.prepare('UPDATE outbox SET status = ?, attempts = ?, last_error = ? WHERE id = ?');
    this.insertDead = db.prepare(
      `INSERT INTO dead_letters (id, outbox_id, message_id, channel, destination, reason, code, created_at)
       SELECT ?, id, message_id, channel, destination, ?, ?, ? FROM outbox WHERE id = ?`,
    );
    this.insertParked = db.prepare(
      `INSERT OR IGNORE INTO parked_keys (destination, ordering_key, channel, outbox_id, parked_at, reason)
       SELECT destination, ordering_key, channel, id, ?, ? FROM outbox WHERE id = ? AND ordering_key IS NOT NULL`,
    );
  }

  /** Journal one message; IdempotentReceiver check and key upsert happen in the same transaction. */
  journal(entry: JournalEntry): JournalResult {
    const env = entry.envelope;
    const at = Date.parse(env.receivedAt);
    let status: 'received' | 'rejected' | 'duplicate' = entry.status;
    let error = entry.errors && entry.errors.length > 0 ? JSON.stringify(entry.errors) : null;
    let duplicateOf: string | undefined;
    if (status === 'received' && entry.dedupKey && (entry.dedupWindowMs ?? 0) > 0) {
      const seen = this.findIdem.get(env.sourceSystem, entry.dedupKey) as { message_id: string; received_at: number } | undefined;
      if (seen && seen.received_at >= at - (entry.dedupWindowMs ?? 0)) {
        status = 'duplicate';
        duplicateOf = seen.message_id;
        error = JSON.stringify([{ code: 'intake.duplicate', message: `duplicate of message ${seen.message_id}` }]);
      } else {
        this.upsertIdem.run(env.sourceSystem, entry.dedupKey, env.id, at);
      }
    }
    this.insertMessage.run(
      env.id, env.channel, env.correlationId, env.causationId ?? null, env.sourceSystem, env.contentType, at,
      JSON.stringify(env.headers), entry.controlId ?? null, entry.messageType ?? null, status, error, blob(entry.payload), at,
    );
    for (const k of entry.keys ?? []) this.insertKey.run(env.id, k.name, k.value);
    if (entry.controlId) this.insertKey.run(env.id, 'controlId', entry.controlId);
    const outcome = status === 'received' ? 'accepted' : status;
    return { id: env.id, outcome, ...(duplicateOf ? { duplicateOf } : {}) };
  }

  /** Pipeline result: status, steps, keys, outbox rows and derived messages in one transaction. */
  complete(c: Completion, now: number): void {
    this.updateMessage.run(c.status, c.error ?? null, c.correlationId ?? null, now, c.messageId);
    c.steps.forEach((s, i) => this.insertStep.run(c.messageId, i, s.name, s.status, s.startedAt, s.durationMs, s.error ?? null));
    for (const k of c.keys) this.insertKey.run(c.messageId, k.name, k.value);
    this.outbox(c.outbox, now);
    for (const child of c.children) this.journal(child);
  }

  outbox(rows: NewOutboxRow[], now: number): void {
    for (const r of rows) {
      this.insertOutbox.run(
        // due at once: 0 rather than `now`, so an injected clock behind the wall clock still sees it due
        r.id, r.messageId, r.channel, r.destination, 0, r.idempotencyKey, r.orderingKey ?? null,
        r.payload ? blob(r.payload) : null, r.contentType, JSON.stringify(r.headers), now,
      );
    }
  }

  markDelivered(id: string, now: number, response?: string): void {
    this.delivered.run(now, response ?? null, id);
  }

  markRetry(id: string, attempts: number, nextAttemptAt: number, error: string): void {
    this.retry.run(attempts, nextAttemptAt, error, id);
  }

  markDead(id: string, attempts: number, error: { code: string; message: string }, now: number): DeadLetter {
    this.setStatus.run('dead', attempts, error.message, id);
    const dlId = newId(now);
    this.insertDead.run(dlId, error.message, error.code, now, id);
    const row = this.db.prepare('SELECT message_id, channel, destination FROM outbox WHERE id = ?').get(id) as
      | { message_id: string; channel: string; destination: string }
      | undefined;
    return {
      id: dlId, outboxId: id, messageId: row?.message_id ?? '', channel: row?.channel ?? '', destination: row?.destination ?? '',
      reason: error.message, code: error.code, createdAt: now, discarded: false,
    };
  }

  park(id: string, attempts: number, error: { code: string; message: string }, now: number): void {
    this.setStatus.run('parked', attempts, error.message, id);
    this.insertParked.run(now, `${error.code}: ${error.message}`, id);
  }
}
