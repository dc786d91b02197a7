import type pg from 'pg';
import { LoomError } from '../../kernel/index.js';
import type {
  Completion, DeadLetter, DestinationRef, EditRecord, JournalEntry, JournalResult, MessageDetail, MessageQuery, NewOutboxRow, OperatorAction,
  OutboxRow, Page, ParkedKey, PruneResult, RetentionPolicy, Store, StoreStats, StoredMessage,
} from '../../kernel/store.js';
import { backupPg } from './backup.js';
import { pgStoreError, redactUrl } from './errors.js';
import { applyPgMigrations } from './migrate.js';
import * as reads from './reads.js';
import { prunePg, type PgPruneScope } from './retention.js';
import { MESSAGE_COLUMNS, bytea, toDeadLetter, toMessage, type PgDeadLetterRow, type PgMessageRow } from './rows.js';
import * as writes from './writes.js';

/** The PostgreSQL adapter of the Store port. See `openPostgresStore` (open.ts). */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  private commits = 0;
  private writeCount = 0;
  private closed = false;

  constructor(private readonly pool: pg.Pool, private readonly url: string, readonly schema: string, private readonly leaseMs: number) {}

  /** Where this store lives, without the password. */
  get location(): string {
    return `${redactUrl(this.url)} schema ${this.schema}`;
  }

  private async client(where: string): Promise<pg.PoolClient> {
    if (this.closed) throw new LoomError('store.closed', `The PostgreSQL message store was closed before ${where}`, { hint: 'open the store again' });
    try {
      return await this.pool.connect();
    } catch (error) {
      throw pgStoreError(error, this.url, where);
    }
  }

  /** One write in one transaction; resolves after COMMIT. */
  private async tx<T>(where: string, fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.client(where);
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      const result = await fn(c);
      await c.query('COMMIT');
      this.commits++;
      this.writeCount++;
      return result;
    } catch (error) {
      await c.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      throw pgStoreError(error, this.url, where);
    } finally {
      c.release(broken);
    }
  }

  private async read<T>(where: string, fn: (db: pg.Pool) => Promise<T>): Promise<T> {
    if (this.closed) throw new LoomError('store.closed', `The PostgreSQL message store was closed before ${where}`, { hint: 'open the store again' });
    try {
      return await fn(this.pool);
    } catch (error) {
      throw pgStoreError(error, this.url, where);
    }
  }

  async migrate(): Promise<string[]> {
    const c = await this.client('migrate');
    try {
      return await applyPgMigrations(c, this.schema);
    } catch (error) {
      throw pgStoreError(error, this.url, 'migrate');
    } finally {
      c.release();
    }
  }

  journal(entry: JournalEntry): Promise<JournalResult> {
    return this.tx('journal', (db) => writes.journal(db, entry));
  }

  listUnprocessed(afterId: string | undefined, limit: number): Promise<StoredMessage[]> {
    return this.read('listUnprocessed', async (db) =>
      (await db.query<PgMessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE status IN ('received','processing') AND id > $1 ORDER BY id LIMIT $2`, [afterId ?? '', limit],
      )).rows.map(toMessage),
    );
  }

  loadPayload(messageId: string): Promise<Uint8Array | undefined> {
    return this.read('loadPayload', async (db) => {
      const r = (await db.query<{ payload: Buffer }>('SELECT payload FROM messages WHERE id = $1', [messageId])).rows[0];
      return r ? new Uint8Array(r.payload) : undefined;
    });
  }

  complete(c: Completion): Promise<void> {
    const now = Date.now();
    return this.tx('complete', (db) => writes.complete(db, c, now));
  }

  claimDue(now: number, limit: number, exclude: ReadonlySet<string>, targets: readonly DestinationRef[]): Promise<OutboxRow[]> {
    return this.tx('claimDue', (db) => reads.claimDue(db, now, limit, exclude, targets, this.leaseMs));
  }

  nextDueAt(targets?: readonly DestinationRef[]): Promise<number | undefined> {
    return this.read('nextDueAt', (db) => reads.nextDueAt(db, targets));
  }

  markDelivered(id: string, now: number, response?: string): Promise<void> {
    return this.tx('markDelivered', async (db) => {
      await db.query(
        "UPDATE outbox SET status = 'delivered', delivered_at = $1, response = $2, attempts = attempts + 1, last_error = NULL, lease_until = NULL WHERE id = $3",
        [now, response ?? null, id],
      );
    });
  }

  markRetry(id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    return this.tx('markRetry', async (db) => {
      await db.query("UPDATE outbox SET status = 'pending', attempts = $1, next_attempt_at = $2, last_error = $3, lease_until = NULL WHERE id = $4", [
        attempts, nextAttemptAt, error, id,
      ]);
    });
  }

  markDead(id: string, attempts: number, error: { code: string; message: string }, now: number): Promise<DeadLetter> {
    return this.tx('markDead', (db) => writes.markDead(db, id, attempts, error, now));
  }

  park(id: string, attempts: number, error: { code: string; message: string }, now: number): Promise<void> {
    return this.tx('park', (db) => writes.park(db, id, attempts, error, now));
  }

  listParked(channel?: string): Promise<ParkedKey[]> {
    return this.read('listParked', (db) => reads.listParked(db, channel));
  }

  releaseParked(channel: string, destination: string, orderingKey: string, now: number): Promise<number> {
    return this.tx('releaseParked', (db) => writes.releaseParked(db, channel, destination, orderingKey, now));
  }

  /**
   * Rows left `in-flight` go back to `pending`. Leases are left alone: another node may hold them;
   * rows leased by a crashed node come back when their lease ends.
   */
  resetInFlight(): Promise<number> {
    return this.tx('resetInFlight', async (db) => (await db.query("UPDATE outbox SET status = 'pending' WHERE status = 'in-flight'")).rowCount ?? 0);
  }

  search(query: MessageQuery): Promise<Page<StoredMessage>> {
    return this.read('search', (db) => reads.search(db, query));
  }

  show(id: string): Promise<MessageDetail | undefined> {
    return this.read('show', (db) => reads.show(db, id));
  }

  listDeadLetters(q: { channel?: string; includeDiscarded?: boolean; cursor?: string; limit?: number }): Promise<Page<DeadLetter>> {
    return this.read('listDeadLetters', (db) => reads.listDeadLetters(db, q));
  }

  getDeadLetter(id: string): Promise<DeadLetter | undefined> {
    return this.read('getDeadLetter', async (db) => {
      const r = (await db.query<PgDeadLetterRow>('SELECT * FROM dead_letters WHERE id = $1', [id])).rows[0];
      return r ? toDeadLetter(r) : undefined;
    });
  }

  requeueDeadLetter(id: string, now: number): Promise<void> {
    return this.tx('requeueDeadLetter', async (db) => {
      const dl = (await db.query<{ outbox_id: string }>('UPDATE dead_letters SET replayed_at = $1 WHERE id = $2 RETURNING outbox_id', [now, id])).rows[0];
      if (!dl) return;
      await db.query("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, lease_until = NULL WHERE id = $2", [now, dl.outbox_id]);
    });
  }

  discardDeadLetter(id: string, reason: string): Promise<void> {
    return this.tx('discardDeadLetter', async (db) => {
      await db.query('UPDATE dead_letters SET discarded = TRUE, discard_reason = $1 WHERE id = $2', [reason, id]);
    });
  }

  getOutbox(id: string): Promise<OutboxRow | undefined> {
    return this.read('getOutbox', (db) => reads.getOutbox(db, id));
  }

  enqueueOutbox(rows: NewOutboxRow[], now: number): Promise<void> {
    return this.tx('enqueueOutbox', (db) => writes.outbox(db, rows, now));
  }

  saveEdit(e: EditRecord): Promise<void> {
    return this.tx('saveEdit', async (db) => {
      await db.query('INSERT INTO edits (id, message_id, payload, created_at, actor, note) VALUES ($1,$2,$3,$4,$5,$6)', [
        e.id, e.messageId, bytea(e.payload), e.createdAt, e.actor, e.note ?? null,
      ]);
    });
  }

  recordAction(a: OperatorAction): Promise<void> {
    return this.tx('recordAction', async (db) => {
      await db.query('INSERT INTO operator_actions (id, at, actor, action, target, detail) VALUES ($1,$2,$3,$4,$5,$6)', [
        a.id, a.at, a.actor, a.action, a.target, a.detail ? JSON.stringify(a.detail) : null,
      ]);
    });
  }

  listActions(limit: number): Promise<OperatorAction[]> {
    return this.read('listActions', async (db) =>
      (await db.query<{ id: string; at: number; actor: string; action: string; target: string; detail: string | null }>(
        'SELECT * FROM operator_actions ORDER BY id DESC LIMIT $1', [limit],
      )).rows.map((r) => ({
        id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target, ...(r.detail ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}),
      })),
    );
  }

  sizeBytes(): Promise<number> {
    return this.read('sizeBytes', async (db) => {
      const r = await db.query<{ bytes: string }>(
        `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
        [this.schema],
      );
      return Number(r.rows[0]?.bytes ?? 0);
    });
  }

  countByStatus(channel: string): Promise<Record<string, number>> {
    return this.read('countByStatus', async (db) => {
      const out: Record<string, number> = {};
      // channel_status_counts is kept by triggers (migration 004), sharded per connection: sum a few rows, never count messages
      const rows = (await db.query<{ status: string; n: number }>(
        'SELECT status, SUM(n)::bigint AS n FROM channel_status_counts WHERE channel = $1 GROUP BY status HAVING SUM(n) > 0', [channel])).rows;
      for (const r of rows) out[r.status] = r.n;
      return out;
    });
  }

  async prune(policy: RetentionPolicy, now: number, scope?: PgPruneScope): Promise<PruneResult> {
    const c = await this.client('prune');
    try {
      const r = await prunePg(c, policy, now, scope);
      this.commits++;
      this.writeCount++;
      return r;
    } catch (error) {
      throw pgStoreError(error, this.url, 'prune');
    } finally {
      c.release();
    }
  }

  /** `pg_dump --format=custom` of this store's schema (restore with `pg_restore`). */
  backup(file: string): Promise<void> {
    return backupPg(this.url, this.schema, file);
  }

  /** Every write is its own transaction here (the server orders concurrent ones), so commits = writes. */
  stats(): StoreStats {
    return { commits: this.commits, writes: this.writeCount };
  }

  /** Wait for queries in progress and close the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
