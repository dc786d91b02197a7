import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
 * pushes the WAL past `wal_autocheckpoint` pages, on the committing connection, so on Loom's event
 * loop: every few thousand messages one COMMIT copied the WAL into the database and fsynced it
 * while every socket, parse and ACK waited. The message store turns that off
 * (`wal_autocheckpoint = 0`); this worker thread runs `wal_checkpoint(PASSIVE)` on its own
 * connection when the group committer asks (between two commits, holding the next one back, so
 * the checkpoint copies every frame and the next COMMIT starts the WAL again from its beginning:
 * the WAL stays small and its fsyncs cheap). The event loop keeps reading, parsing and answering
 * meanwhile; only the next commit waits.
 *
 * @example
 * const checkpointer = new WalCheckpointer('/srv/loom/.loom/loom.db');
 * const { log, checkpointed } = await checkpointer.run();
 * await checkpointer.stop();
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private waiting: Array<(result: CheckpointResult) => void> = [];
  checkpoints = 0;

  constructor(dbFile: string) {
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sqlite, dbFile } });
    this.worker.unref(); // never what keeps a process alive
    this.worker.on('message', (result: CheckpointResult) => {
      this.checkpoints++;
      this.waiting.shift()?.(result);
    });
    // a dead worker must not hold commits back forever
    this.worker.on('error', (error) => this.failAll(error.message));
    this.worker.on('exit', () => this.failAll('checkpoint worker exited'));
  }

  /** One PASSIVE checkpoint: frames in the WAL and frames copied into the database (or the error). */
  run(): Promise<CheckpointResult> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.worker.postMessage('checkpoint');
    });
  }

  /** Stop the worker; resolves once it has closed its connection. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    await exited;
  }

  private failAll(error: string): void {
    for (const resolve of this.waiting.splice(0)) resolve({ log: -1, checkpointed: -1, error });
  }
}

export interface CheckpointResult {
  log: number;
  checkpointed: number;
  /** The checkpoint failed (the WAL keeps the frames; the next one retries, nothing is lost). */
  error?: string;
}

// CommonJS, evaluated in the worker: better-sqlite3 resolved by the parent, so it loads from src and dist alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.dbFile, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', (m) => {
  if (m === 'stop') { db.close(); process.exit(0); }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (error) {
    parentPort.postMessage({ log: -1, checkpointed: -1, error: String((error && error.message) || error) });
  }
});
`;
