import type pg from 'pg';
import type { PruneResult, RetentionPolicy } from '../../kernel/store.js';

/** Which channels a prune touches: only `channels`, or every channel but `exceptChannels`. */
export interface PgPruneScope {
  channels?: string[];
  exceptChannels?: string[];
}

/**
 * Delete what retention allows, with the same rules as the SQLite store: a message is kept while
 * any of its outbox rows is pending, in flight or parked, and a processed one while it has a dead
 * letter. Space goes back to PostgreSQL's free-space map through (auto)vacuum, not to the file
 * system, so `pagesFreed` is always 0 here.
 */
export async function prunePg(client: pg.PoolClient, policy: RetentionPolicy, now: number, scope: PgPruneScope = {}): Promise<PruneResult> {
  // channel names are bound as one array parameter ($2), never spliced into the SQL
  const inScope = scope.channels ? 'channel = ANY($2::text[])' : scope.exceptChannels ? 'NOT (channel = ANY($2::text[]))' : '$2::text[] IS NOT NULL';
  const ch = scope.channels ?? scope.exceptChannels ?? [];
  const live = "NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.status IN ('pending','in-flight','parked'))";
  await client.query('BEGIN');
  try {
    const dl = (await client.query(`DELETE FROM dead_letters WHERE created_at < $1 AND ${inScope}`, [now - policy.deadLetterMs, ch])).rowCount ?? 0;
    const ids = await client.query<{ id: string }>(
      `SELECT id FROM messages m WHERE status = 'processed' AND received_at < $1 AND ${inScope} AND ${live}
         AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.message_id = m.id)
       UNION
       SELECT id FROM messages m WHERE status IN ('rejected','failed','duplicate') AND received_at < $3 AND ${inScope} AND ${live}`,
      [now - policy.processedMs, ch, now - policy.errorMs],
    );
    const gone = ids.rows.map((r) => r.id);
    let n = 0;
    if (gone.length > 0) {
      for (const table of ['message_keys', 'message_steps', 'outbox', 'edits']) {
        await client.query(`DELETE FROM ${table} WHERE message_id = ANY($1::text[])`, [gone]);
      }
      n = (await client.query('DELETE FROM messages WHERE id = ANY($1::text[])', [gone])).rowCount ?? 0;
    }
    // an idempotency key older than every window we keep messages for can no longer match
    await client.query('DELETE FROM idempotency_keys WHERE received_at < $1', [now - Math.max(policy.processedMs, policy.errorMs)]);
    await client.query('COMMIT');
    return { messagesDeleted: n, deadLettersDeleted: dl, pagesFreed: 0 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
