import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type {
  Completion, DeadLetter, DestinationRef, EditRecord, JournalEntry, JournalResult, MessageDetail, MessageQuery, NewOutboxRow, OperatorAction,
  OutboxRow, Page, ParkedKey, PruneResult, RetentionPolicy, Store, StoreStats, StoredMessage,
} from '../../kernel/store.js';
import { storeError } from './errors.js';
import { GroupCommitter } from './group-commit.js';
import { applyMigrations } from './migrate.js';
import * as reads from './reads.js';
import { prune, type PruneScope } from './retention.js';
import { MESSAGE_COLUMNS, blob, toDeadLetter, toMessage, type DeadLetterRaw, type MessageRowRaw } from './rows.js';
import { WalSync } from './wal-sync.js';
import { WalCheckpointer } from './checkpointer.js';
import { Writes } from './writes.js';

export interface SqliteStoreOptions {
  /** Folder for `loom.db` (created if missing). Default `./.loom`. */
  dataDir?: string;
  /** Most writes folded into one transaction. Default 512. */
  maxBatch?: number;
  /** Apply migrations at open. Default true. */
  migrate?: boolean;
}

/**
 * Open (or create) the embedded SQLite MessageStore: WAL fsynced before every write settles
 * (group commit, fsync off the event loop), incremental auto-vacuum.
 * Throws LoomError `store.unwritable` when the folder or file cannot be created or written.
 *
 * @example const store = await openSqliteStore({ dataDir: './.loom' });
 */
export async function openSqliteStore(options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const dataDir = path.resolve(options.dataDir ?? '.loom');
  const file = path.join(dataDir, 'loom.db');
  let db: Database.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(file);
    // auto_vacuum only takes effect before the first table exists: set it first, at creation
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    // durable before ACK all the same: the group committer fsyncs the WAL (off the event loop,
    // see WalSync) before any write settles; NORMAL only stops COMMIT from fsyncing on the main thread
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = OFF');
    // statement journals (savepoints) and json_each/IN ephemeral tables in memory, not temp files
    db.pragma('temp_store = MEMORY');
    // checkpoints run in a worker on their own connection (WalCheckpointer), never inside a COMMIT
    db.pragma('wal_autocheckpoint = 0');
  } catch (error) {
    throw storeError(error, dataDir);
  }
  const store = new SqliteStore(db, file, options.maxBatch ?? 512);
  if (options.migrate !== false) await store.migrate();
  return store;
}

/**
 * WAL frames (pages) between two checkpoints: SQLite's own default (`wal_autocheckpoint = 1000`).
 * The commits between checkpoints follow from the frames the last checkpoint found.
 */
const WAL_TARGET_FRAMES = 1000;

/** The SQLite adapter of the Store port. See `openSqliteStore`. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly committer: GroupCommitter;
  private readonly wal: WalSync;
  private writes: Writes | undefined;
  private checkpointer: WalCheckpointer | undefined;
  private closed = false;

  constructor(private readonly db: Database.Database, readonly file: string, maxBatch: number) {
    this.wal = new WalSync(`${file}-wal`);
    const checkpointer = (this.checkpointer = new WalCheckpointer(file));
    const checkpoints = {
      every: 100,
      run: async () => {
        const { log } = await checkpointer.run();
        // aim at WAL_TARGET_FRAMES per restart whatever the size of a commit (a few pages to hundreds)
        if (log > 0) checkpoints.every = Math.min(1000, Math.max(8, Math.round((checkpoints.every * WAL_TARGET_FRAMES) / log)));
      },
    };
    this.committer = new GroupCommitter(db, maxBatch, (e) => storeError(e, file), this.wal, checkpoints);
    this.writes = undefined;
  }


  private w(): Writes {
    // prepared after migrations, since statements need the tables
    return (this.writes ??= new Writes(this.db));
  }

  private read<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(storeError(error, this.file));
    }
  }

  async migrate(): Promise<string[]> {
    try {
      return applyMigrations(this.db);
    } catch (error) {
      throw storeError(error, this.file);
    }
  }

  journal(entry: JournalEntry): Promise<JournalResult> {
    return this.committer.write(() => this.w().journal(entry));
  }

  listUnprocessed(afterId: string | undefined, limit: number): Promise<StoredMessage[]> {
    return this.read(() =>
      (this.db
        .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE status IN ('received','processing') AND id > ? ORDER BY id LIMIT ?`)
        .all(afterId ?? '', limit) as MessageRowRaw[]).map(toMessage),
    );
  }

  loadPayload(messageId: string): Promise<Uint8Array | undefined> {
    return this.read(() => {
      const r = this.db.prepare('SELECT payload FROM messages WHERE id = ?').get(messageId) as { payload: Buffer } | undefined;
      return r ? new Uint8Array(r.payload) : undefined;
    });
  }

  complete(c: Completion): Promise<void> {
    const now = Date.now();
    return this.committer.write(() => this.w().complete(c, now));
  }

  claimDue(now: number, limit: number, exclude: ReadonlySet<string>, targets: readonly DestinationRef[]): Promise<OutboxRow[]> {
    return this.read(() => reads.claimDue(this.db, now, limit, exclude, targets));
  }

  nextDueAt(targets?: readonly DestinationRef[]): Promise<number | undefined> {
    return this.read(() => reads.nextDueAt(this.db, targets));
  }

  markDelivered(id: string, now: number, response?: string): Promise<void> {
    return this.committer.write(() => this.w().markDelivered(id, now, response));
  }

  markRetry(id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    return this.committer.write(() => this.w().markRetry(id, attempts, nextAttemptAt, error));
  }

  markDead(id: string, attempts: number, error: { code: string; message: string }, now: number): Promise<DeadLetter> {
    return this.committer.write(() => this.w().markDead(id, attempts, error, now));
  }

  park(id: string, attempts: number, error: { code: string; message: string }, now: number): Promise<void> {
    return this.committer.write(() => this.w().park(id, attempts, error, now));
  }

  listParked(channel?: string): Promise<ParkedKey[]> {
    return this.read(() => reads.listParked(this.db, channel));
  }

  releaseParked(channel: string, destination: string, orderingKey: string, now: number): Promise<number> {
    return this.committer.write(() => {
      this.db.prepare('DELETE FROM parked_keys WHERE channel = ? AND destination = ? AND ordering_key = ?').run(channel, destination, orderingKey);
      return this.db
        .prepare(
          "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE channel = ? AND destination = ? AND ordering_key = ? AND status = 'parked'",
        )
        .run(now, channel, destination, orderingKey).changes;
    });
  }

  resetInFlight(): Promise<number> {
    return this.committer.write(() => this.db.prepare("UPDATE outbox SET status = 'pending' WHERE status = 'in-flight'").run().changes);
  }

  search(query: MessageQuery): Promise<Page<StoredMessage>> {
    return this.read(() => reads.search(this.db, query));
  }

  show(id: string): Promise<MessageDetail | undefined> {
    return this.read(() => reads.show(this.db, id));
  }

  listDeadLetters(q: { channel?: string; includeDiscarded?: boolean; cursor?: string; limit?: number }): Promise<Page<DeadLetter>> {
    return this.read(() => reads.listDeadLetters(this.db, q));
  }

  getDeadLetter(id: string): Promise<DeadLetter | undefined> {
    return this.read(() => {
      const r = this.db.prepare('SELECT * FROM dead_letters WHERE id = ?').get(id) as DeadLetterRaw | undefined;
      return r ? toDeadLetter(r) : undefined;
    });
  }

  requeueDeadLetter(id: string, now: number): Promise<void> {
    return this.committer.write(() => {
      const dl = this.db.prepare('SELECT outbox_id FROM dead_letters WHERE id = ?').get(id) as { outbox_id: string } | undefined;
      if (!dl) return;
      this.db.prepare('UPDATE dead_letters SET replayed_at = ? WHERE id = ?').run(now, id);
      this.db.prepare("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?").run(now, dl.outbox_id);
    });
  }

  discardDeadLetter(id: string, reason: string): Promise<void> {
    return this.committer.write(() => {
      this.db.prepare('UPDATE dead_letters SET discarded = 1, discard_reason = ? WHERE id = ?').run(reason, id);
    });
  }

  getOutbox(id: string): Promise<OutboxRow | undefined> {
    return this.read(() => reads.getOutbox(this.db, id));
  }

  enqueueOutbox(rows: NewOutboxRow[], now: number): Promise<void> {
    return this.committer.write(() => this.w().outbox(rows, now));
  }

  saveEdit(e: EditRecord): Promise<void> {
    return this.committer.write(() => {
      this.db
        .prepare('INSERT INTO edits (id, message_id, payload, created_at, actor, note) VALUES (?,?,?,?,?,?)')
        .run(e.id, e.messageId, blob(e.payload), e.createdAt, e.actor, e.note ?? null);
    });
  }

  recordAction(a: OperatorAction): Promise<void> {
    return this.committer.write(() => {
      this.db
        .prepare('INSERT INTO operator_actions (id, at, actor, action, target, detail) VALUES (?,?,?,?,?,?)')
        .run(a.id, a.at, a.actor, a.action, a.target, a.detail ? JSON.stringify(a.detail) : null);
    });
  }

  listActions(limit: number): Promise<OperatorAction[]> {
    return this.read(() =>
      (this.db.prepare('SELECT * FROM operator_actions ORDER BY id DESC LIMIT ?').all(limit) as {
        id: string; at: number; actor: string; action: string; target: string; detail: string | null;
      }[]).map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target, ...(r.detail ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}) })),
    );
  }

  countByStatus(channel: string): Promise<Record<string, number>> {
    return this.read(() => {
      const out: Record<string, number> = {};
      // channel_status_counts is kept by triggers (migration 006): a few rows, not a count of the table
      for (const r of this.db.prepare('SELECT status, n FROM channel_status_counts WHERE channel = ? AND n > 0').all(channel) as { status: string; n: number }[]) out[r.status] = r.n;
      return out;
    });
  }

  sizeBytes(): Promise<number> {
    return this.read(() => Number(this.db.pragma('page_count', { simple: true })) * Number(this.db.pragma('page_size', { simple: true })));
  }

  prune(policy: RetentionPolicy, now: number, scope?: PruneScope): Promise<PruneResult> {
    return this.read(() => prune(this.db, policy, now, scope));
  }

  async backup(file: string): Promise<void> {
    try {
      await this.db.backup(file);
    } catch (error) {
      throw storeError(error, file);
    }
  }

  stats(): StoreStats {
    return { commits: this.committer.commits, writes: this.committer.writes, checkpoints: this.checkpointer?.checkpoints ?? 0 };
  }

  /** Flush queued writes, checkpoint the WAL and close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.committer.drain();
    } finally {
      this.wal.close();
    }
    await this.checkpointer?.stop();
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // a failed checkpoint is harmless: the WAL is replayed at next open
    }
    this.db.close();
  }
}
