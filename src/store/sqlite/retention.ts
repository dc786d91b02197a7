import type Database from 'better-sqlite3';
import type { PruneResult, RetentionPolicy } from '../../kernel/store.js';

export interface PruneScope {
  /** Only these channels (a channel with its own retention). */
  channels?: string[];
  /** Every channel but these (the engine-wide policy). */
  exceptChannels?: string[];
}

/**
 * Delete what retention allows and give the pages back to the file system
 * (incremental vacuum + WAL truncate), so the file stays the same size under steady load.
 * A message is kept while any of its outbox rows is still pending, in flight or parked,
 * and while it has an undiscarded dead letter younger than the dead-letter retention.
 */
export function prune(db: Database.Database, policy: RetentionPolicy, now: number, scope: PruneScope = {}): PruneResult {
  // channel names are bound as one JSON array parameter, never spliced into the SQL
  const inScope = scope.channels
    ? 'channel IN (SELECT value FROM json_each(@ch))'
    : scope.exceptChannels
      ? 'channel NOT IN (SELECT value FROM json_each(@ch))'
      : '@ch IS NOT NULL';
  const ch = JSON.stringify(scope.channels ?? scope.exceptChannels ?? []);
  const live = "NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.status IN ('pending','in-flight','parked'))";
  const done = db.transaction(() => {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS prune_ids (id TEXT PRIMARY KEY)');
    db.exec('DELETE FROM prune_ids');
    const dl = db.prepare(`DELETE FROM dead_letters WHERE created_at < @cutoff AND ${inScope}`).run({ cutoff: now - policy.deadLetterMs, ch }).changes;
    db.prepare(
      `INSERT OR IGNORE INTO prune_ids SELECT id FROM messages m WHERE status = 'processed' AND received_at < @cutoff AND ${inScope} AND ${live}
       AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.message_id = m.id)`,
    ).run({ cutoff: now - policy.processedMs, ch });
    db.prepare(
      `INSERT OR IGNORE INTO prune_ids SELECT id FROM messages m WHERE status IN ('rejected','failed','duplicate') AND received_at < @cutoff AND ${inScope} AND ${live}`,
    ).run({ cutoff: now - policy.errorMs, ch });
    for (const table of ['message_keys', 'message_steps', 'outbox', 'edits']) {
      db.exec(`DELETE FROM ${table} WHERE message_id IN (SELECT id FROM prune_ids)`);
    }
    const n = db.prepare('DELETE FROM messages WHERE id IN (SELECT id FROM prune_ids)').run().changes;
    // an idempotency key older than every window we keep messages for can no longer match
    db.prepare('DELETE FROM idempotency_keys WHERE received_at < ?').run(now - Math.max(policy.processedMs, policy.errorMs));
    return { n, dl };
  })();
  const free = db.pragma('freelist_count', { simple: true }) as number;
  db.pragma('incremental_vacuum');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { messagesDeleted: done.n, deadLettersDeleted: done.dl, pagesFreed: free };
}
