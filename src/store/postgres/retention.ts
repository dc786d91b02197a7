import type pg from 'pg';
import type { PruneResult, RetentionPolicy } from '../../kernel/store.js';

/** Which channels a prune touches: only `channels`, or every channel but `exceptChannels`. */
export interface PgPruneScope {
  channels?: string[];
  exceptChannels?: string[];
}

/** Rows per delete transaction: short transactions, so journaling never waits long behind retention. */
export const PRUNE_BATCH = 1000;

async function inTx<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const out = await fn();
    await client.query('COMMIT');
    return out;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Delete what retention allows, with the same rules as the SQLite store: a message is kept while
 * any of its outbox rows is pending, in flight or parked, and a processed one while it has a dead
 * letter. Deletes run in batches of `batch` messages, each its own short transaction, with
 * `SKIP LOCKED` so a row another node is writing is left for the next run instead of waited on:
 * ingest on every node carries on while a large backlog is pruned. Space goes back to PostgreSQL's
 * free-space map through (auto)vacuum, not to the file system, so `pagesFreed` is always 0 here.
 */
export async function prunePg(client: pg.PoolClient, policy: RetentionPolicy, now: number, scope: PgPruneScope = {}, batch = PRUNE_BATCH): Promise<PruneResult> {
  // channel names are bound as one array parameter ($2), never spliced into the SQL
  const inScope = scope.channels ? 'channel = ANY($2::text[])' : scope.exceptChannels ? 'NOT (channel = ANY($2::text[]))' : '$2::text[] IS NOT NULL';
  const ch = scope.channels ?? scope.exceptChannels ?? [];
  const live = "NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.status IN ('pending','in-flight','parked'))";
  let dl = 0;
  for (;;) {
    const n = await inTx(client, async () => (await client.query(
      `DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters WHERE created_at < $1 AND ${inScope} LIMIT $3 FOR UPDATE SKIP LOCKED)`,
      [now - policy.deadLetterMs, ch, batch])).rowCount ?? 0);
    dl += n;
    if (n < batch) break;
  }
  let deleted = 0;
  for (;;) {
    const { picked, n } = await inTx(client, async () => {
      const ids = await client.query<{ id: string }>(
        `SELECT id FROM messages m WHERE ((status = 'processed' AND received_at < $1 AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.message_id = m.id))
            OR (status IN ('rejected','failed','duplicate') AND received_at < $3)) AND ${inScope} AND ${live}
         ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED`,
        [now - policy.processedMs, ch, now - policy.errorMs, batch],
      );
      const gone = ids.rows.map((r) => r.id);
      if (gone.length === 0) return { picked: 0, n: 0 };
      for (const table of ['message_keys', 'message_steps', 'outbox', 'edits']) {
        await client.query(`DELETE FROM ${table} WHERE message_id = ANY($1::text[])`, [gone]);
      }
      return { picked: gone.length, n: (await client.query('DELETE FROM messages WHERE id = ANY($1::text[])', [gone])).rowCount ?? 0 };
    });
    deleted += n;
    if (picked < batch) break;
  }
  // an idempotency key older than every window we keep messages for can no longer match
  await client.query('DELETE FROM idempotency_keys WHERE received_at < $1', [now - Math.max(policy.processedMs, policy.errorMs)]);
  return { messagesDeleted: deleted, deadLettersDeleted: dl, pagesFreed: 0 };
}
