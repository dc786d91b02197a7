import { LoomError } from '../../kernel/index.js';
import type Database from 'better-sqlite3';
import type { WalSync } from './wal-sync.js';

/**
 * fsyncs of the WAL allowed at once. Two let a commit made during an fsync start its own without
 * waiting; more would only queue in the kernel behind the same journal commit.
 */
const MAX_SYNCS_IN_FLIGHT = 2;

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
 *
 * Latency of a synchronous sender (one message, wait for its ACK): a write that arrives while an
 * fsync runs is committed at once and gets an fsync of its own started beside the running one (at
 * most `MAX_SYNCS_IN_FLIGHT`), instead of waiting for the running fsync to end, then committing, then
 * fsyncing: about one fsync of wait instead of up to two. A write settles when an fsync that STARTED
 * after its COMMIT has ended (whichever ends first): the durability of `synchronous = FULL`.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  /** Built once: inside the outer transaction each call is a SAVEPOINT (better-sqlite3 nests). */
  private readonly savepoint: (run: () => unknown) => unknown;
  private scheduled = false;
  /** Committed batches waiting for an fsync started after their COMMIT (only with `wal`), oldest first. */
  private unsynced: Array<{ commit: number; items: Pending[] }> = [];
  /** The newest commit an fsync already in flight (or done) covers. */
  private syncStartedAt = 0;
  private syncsInFlight = 0;
  /** A checkpoint runs: commits wait for it, so it copies every frame and the WAL can restart. */
  private checkpointing = false;
  private commitsSinceCheckpoint = 0;
  commits = 0;
  writes = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly maxBatch: number,
    private readonly mapError: (error: unknown) => LoomError,
    /** When given, the connection does not fsync at COMMIT: writes settle after this fsyncs the WAL. */
    private readonly wal?: WalSync,
    /** WAL checkpoints every `every` commits (read at each commit: the owner may adapt it), run elsewhere between two commits (see WalCheckpointer). */
    private readonly checkpoints?: { every: number; run(): Promise<unknown> },
  ) {
    this.savepoint = db.transaction((run: () => unknown) => run());
  }

  /** Queue a synchronous write; resolves with its result after the commit that includes it. */
  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      // with every fsync slot busy, writes gather for the commit that follows the first fsync to
      // end: one commit per fsync keeps batches large under load (each commit rewrites the WAL
      // pages it touches); with a slot free, the write commits and gets its fsync at once
      else if (!this.scheduled && this.syncsInFlight < MAX_SYNCS_IN_FLIGHT) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commit whatever is queued now. */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0 || this.checkpointing) return;
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
    if (!this.wal || this.unsynced.length === 0) return;
    this.wal.syncNow();
    this.syncStartedAt = this.commits;
    this.settleSynced(this.commits, null); // an fsync still in flight finds nothing left to settle
  }

  private settle(batch: Pending[]): void {
    this.commits++;
    this.writes += batch.length;
    const committed: Pending[] = [];
    for (const item of batch) {
      if (item.error !== undefined) item.reject(this.mapError(item.error));
      else if (this.wal) committed.push(item);
      else item.resolve(item.result);
    }
    if (committed.length > 0) this.unsynced.push({ commit: this.commits, items: committed });
    this.sync();
    this.maybeCheckpoint();
  }

  private maybeCheckpoint(): void {
    const checkpoints = this.checkpoints;
    if (!checkpoints || ++this.commitsSinceCheckpoint < checkpoints.every) return;
    this.commitsSinceCheckpoint = 0;
    this.checkpointing = true;
    void checkpoints.run().finally(() => {
      this.checkpointing = false;
      if (this.queue.length > 0) this.flush();
    });
  }

  /** Start an fsync covering every commit so far, unless one already does or every slot is busy. */
  private sync(): void {
    const wal = this.wal;
    if (!wal || this.syncsInFlight >= MAX_SYNCS_IN_FLIGHT || this.syncStartedAt >= this.commits) return;
    const covers = (this.syncStartedAt = this.commits);
    this.syncsInFlight++;
    wal.sync((error) => {
      this.syncsInFlight--;
      this.settleSynced(covers, error);
      if (this.queue.length > 0) this.flush();
      else this.sync();
    });
  }

  /** An fsync that started after commit `covers` ended: settle the batches it covers. */
  private settleSynced(covers: number, error: Error | null): void {
    // committed but not known durable: refuse the ACK (the sender retries; dedup answers duplicate)
    const loom = error ? this.mapError(error) : undefined;
    while (this.unsynced.length > 0 && this.unsynced[0]!.commit <= covers) {
      for (const item of this.unsynced.shift()!.items) {
        if (loom) item.reject(loom);
        else item.resolve(item.result);
      }
    }
  }
}
