import { LoomError } from '../../kernel/index.js';
import type Database from 'better-sqlite3';
import type { WalSync } from './wal-sync.js';

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  result?: unknown;
  error?: unknown;
}

/**
 * Group commit: writes that arrive within one tick (or until `maxBatch`) run in ONE transaction,
 * one fsync, and their promises settle only after COMMIT. A failing write rejects alone (the batch
 * is then re-run with a savepoint per write); a failing COMMIT rejects every write of the batch.
 * Writes must be SQL only (no side effects outside the database), since a batch may run twice.
 * With a `WalSync`, the fsync runs off the event loop and covers every batch committed before it.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  /** Built once: inside the outer transaction each call is a SAVEPOINT (better-sqlite3 nests). */
  private readonly savepoint: (run: () => unknown) => unknown;
  private scheduled = false;
  /** Committed writes waiting for the next WAL fsync (only with `wal`). */
  private unsynced: Pending[] = [];
  private syncing: Pending[] | undefined;
  commits = 0;
  writes = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly maxBatch: number,
    private readonly mapError: (error: unknown) => LoomError,
    /** When given, the connection does not fsync at COMMIT: writes settle after this fsyncs the WAL. */
    private readonly wal?: WalSync,
  ) {
    this.savepoint = db.transaction((run: () => unknown) => run());
  }

  /** Queue a synchronous write; resolves with its result after the commit that includes it. */
  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      // while a WAL fsync runs, writes gather for the commit that follows it: one commit per fsync
      // keeps batches large (each commit rewrites the WAL pages it touches)
      else if (!this.scheduled && !this.syncing) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commit whatever is queued now. */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    // Fast path: the whole batch in one transaction without a savepoint per write. A savepoint makes
    // SQLite copy every page a write touches into a statement journal (~3x the CPU of a journal
    // write in the profile). Writes are SQL only, so if one throws the transaction rolls back
    // entirely and the batch runs again on the isolating path below: same outcome, just slower.
    try {
      this.db.transaction(() => {
        for (const item of batch) item.result = item.run();
      })();
      this.settle(batch);
      return;
    } catch {
      for (const item of batch) item.result = undefined;
    }
    try {
      this.db.transaction(() => {
        for (const item of batch) {
          try {
            // nested transaction = SAVEPOINT: one bad write does not abort its neighbours
            item.result = this.savepoint(item.run);
          } catch (error) {
            item.error = error;
          }
        }
      })();
    } catch (error) {
      // SQLITE_FULL inside a write can roll the whole transaction back, so COMMIT then fails with
      // "no transaction is active": report the write's error, which names the real cause
      const loom = this.mapError(batch.find((i) => i.error !== undefined)?.error ?? error);
      for (const item of batch) item.reject(loom);
      return;
    }
    this.settle(batch);
  }

  /** Commit what is queued and fsync the WAL now, blocking (at close). */
  drain(): void {
    this.flush();
    if (!this.wal || (this.unsynced.length === 0 && !this.syncing)) return;
    this.wal.syncNow();
    const done = [...(this.syncing ?? []), ...this.unsynced];
    this.unsynced = [];
    for (const item of done) item.resolve(item.result); // a settled promise ignores the late callback
  }

  private settle(batch: Pending[]): void {
    this.commits++;
    this.writes += batch.length;
    for (const item of batch) {
      if (item.error !== undefined) item.reject(this.mapError(item.error));
      else if (this.wal) this.unsynced.push(item);
      else item.resolve(item.result);
    }
    this.sync();
  }

  /** One fsync at a time; the batches committed while it runs wait for the next one. */
  private sync(): void {
    const wal = this.wal;
    if (!wal || this.syncing || this.unsynced.length === 0) return;
    const group = (this.syncing = this.unsynced);
    this.unsynced = [];
    wal.sync((error) => {
      this.syncing = undefined;
      if (error) {
        // committed but not known durable: refuse the ACK (the sender retries; dedup answers duplicate)
        const loom = this.mapError(error);
        for (const item of group) item.reject(loom);
      } else {
        for (const item of group) item.resolve(item.result);
      }
      if (this.queue.length > 0) this.flush();
      else this.sync();
    });
  }
}
