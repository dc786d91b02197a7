import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

/**
 * fdatasync of the WAL file in the libuv thread pool, so a group commit's durability wait does not
 * block the event loop. The connection runs `synchronous = NORMAL` (COMMIT writes the WAL frames
 * but does not fsync them; SQLite still syncs around checkpoints and WAL reuse) and the group
 * committer settles a batch only after an fsync of the WAL that started after its COMMIT: the
 * same durability as `synchronous = FULL`, with one fsync covering every commit made meanwhile.
 * fdatasync, as SQLite itself syncs its WAL on Linux: the frames and the size that finds them, not
 * the timestamps. It flushes the file whatever descriptor is used, so a read-only fd suffices.
 *
 * @example
 * const wal = new WalSync(`${dbFile}-wal`);
 * wal.sync((error) => (error ? reject(error) : resolve()));
 */
export class WalSync {
  private fd: number | undefined;
  private running = 0;
  private closed = false;

  constructor(readonly file: string) {}

  /** fsync the WAL off the event loop; `done` runs when the data written so far is on disk. */
  sync(done: (error: Error | null) => void): void {
    let fd: number;
    try {
      fd = this.open();
    } catch (error) {
      done(error as Error);
      return;
    }
    this.running++;
    fdatasync(fd, (error) => {
      this.running--;
      if (this.closed && this.running === 0) this.release();
      done(error);
    });
  }

  /** fsync now, blocking (at close, so nothing acknowledged is left unsynced). */
  syncNow(): void {
    fdatasyncSync(this.open());
  }

  /** Close the descriptor once no fsync is in flight. */
  close(): void {
    this.closed = true;
    if (this.running === 0) this.release();
  }

  private open(): number {
    // the WAL exists once the connection has written (migrations at open do); it is only deleted
    // when the last connection to the database closes, which is after this store's close()
    return (this.fd ??= openSync(this.file, 'r'));
  }

  private release(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
