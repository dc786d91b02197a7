import { LoomError, toLoomError } from '../../kernel/errors.js';
import type { Intake, InboundConnector } from '../../kernel/connector.js';
import type { Logger } from '../../kernel/ports.js';
import type { CursorStore } from '../shared/cursor-store.js';
import { Poller } from '../shared/poller.js';
import type { DbPollOptions } from './schema.js';
import { openRowSource, type RowCursor, type RowSource } from './sql.js';

/** A cursor as stored: Dates keep their type, so a timestamp watermark compares as a timestamp. */
interface StoredCursor { watermark: unknown; key: unknown; watermarkIsDate?: boolean }

function encodeCursor(c: RowCursor): string {
  const isDate = c.watermark instanceof Date;
  return JSON.stringify({ watermark: isDate ? (c.watermark as Date).toISOString() : c.watermark, key: c.key, ...(isDate ? { watermarkIsDate: true } : {}) });
}

function decodeCursor(text: string): RowCursor {
  const c = JSON.parse(text) as StoredCursor;
  return { watermark: c.watermarkIsDate ? new Date(String(c.watermark)) : c.watermark, key: c.key };
}

/** Dates as ISO 8601, bigints and Buffers made JSON-safe. */
function jsonSafe(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    out[name] = value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? value.toString() : Buffer.isBuffer(value) ? value.toString('base64') : value;
  }
  return out;
}

/**
 * The legacy database poller: reads rows after the durable (watermark, key) cursor in batches,
 * hands each row to the engine as JSON `{ table, row }`, and moves the cursor after the batch is
 * journaled. A crash between the two re-reads that batch; the IdempotentReceiver (content hash)
 * answers duplicate, so each row is stored once.
 *
 * @example
 * const poll = new DbPollInbound({ ...options, channel: 'legacy-mm' }, cursors, logger);
 * await poll.start(engine);
 */
export class DbPollInbound implements InboundConnector {
  readonly kind = 'db-poll';
  private readonly poller: Poller;
  private source?: RowSource;
  private intake?: Intake;
  private stopping = false;
  private queue: Promise<void> = Promise.resolve();
  /** Rows handed over by the last poll, for tests and the console. */
  lastPoll = { rows: 0, duplicates: 0, rejected: 0 };

  constructor(
    private readonly options: DbPollOptions & { channel: string },
    private readonly cursors: CursorStore,
    private readonly logger: Logger,
  ) {
    this.poller = new Poller(options.intervalMs, () => this.pollNow(), logger, `database poll of ${options.table}`);
  }

  async start(intake: Intake): Promise<void> {
    this.intake = intake;
    this.source = openRowSource(this.options);
    this.poller.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.poller.stop();
    await this.queue;
    await this.source?.close().catch(() => undefined);
  }

  address(): string {
    return `${this.options.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}#${this.options.table}`;
  }

  /** Read until the table has nothing after the cursor; serialized, like every poll. */
  pollNow(): Promise<void> {
    const run = this.queue.then(() => this.drain());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private cursorKey(): string {
    return `${this.options.channel}.db-poll.${this.options.table}`;
  }

  private async drain(): Promise<void> {
    if (!this.intake || !this.source) throw new LoomError('db-poll.not-started', 'start the connector before polling');
    this.lastPoll = { rows: 0, duplicates: 0, rejected: 0 };
    const stored = await this.cursors.get(this.cursorKey());
    let cursor = stored ? decodeCursor(stored) : undefined;
    while (!this.stopping) {
      let rows: Record<string, unknown>[];
      try {
        rows = await this.source.nextBatch(cursor);
      } catch (err) {
        throw new LoomError('db-poll.query.failed', `reading ${this.options.table} failed: ${toLoomError(err).message}`, {
          cause: err, location: this.address(), hint: 'check the URL, the credentials and that table, watermark and key columns exist',
        });
      }
      if (rows.length === 0) return;
      for (const row of rows) {
        const receipt = await this.intake.receive({
          channel: this.options.channel,
          payload: Buffer.from(JSON.stringify({ table: this.options.table, row: jsonSafe(row) })),
          contentType: 'application/json',
          sourceSystem: `db:${this.options.table}`,
          headers: { 'db-table': this.options.table, 'db-key': String(row[this.options.key]) },
        });
        if (receipt.outcome === 'duplicate') this.lastPoll.duplicates += 1;
        else if (receipt.outcome === 'rejected') this.lastPoll.rejected += 1;
        else this.lastPoll.rows += 1;
      }
      const last = rows[rows.length - 1]!;
      cursor = { watermark: last[this.options.watermark], key: last[this.options.key] };
      await this.cursors.set(this.cursorKey(), encodeCursor(cursor));
      if (rows.length < this.options.batchSize) return;
    }
  }
}
