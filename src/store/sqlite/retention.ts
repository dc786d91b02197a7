import type Database from 'better-sqlite3';
import type { PruneResult, RetentionPolicy } from '../../kernel/store.js';

/**
 * Delete what retention allows and give the pages back to the file system
 * (incremental vacuum + WAL truncate), so the file stays the same size under steady load.
 * A message is kept while any of its outbox rows is still pending, in flight or parked.
 */
export function prune(db: Database.Database, policy: RetentionPolicy, now: number): PruneResult {
  const doomed = db.transaction(() => {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS prune_ids (id TEXT PRIMARY KEY)');
    db.exec('DELETE FROM prune_ids');
    const live = "NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.status IN ('pending','in-flight','parked'))";
    db.prepare(`INSERT OR IGNORE INTO prune_ids SELECT id FROM messages m WHERE status = 'processed' AND received_at < ? AND ${live}
      AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.message_id = m.id AND d.discarded = 0)`).run(now - policy.processedMs);
    db.prepare(`INSERT OR IGNORE INTO prune_ids SELECT id FROM messages m WHERE status IN ('rejected','failed','duplicate') AND received_at < ? AND ${live}`).run(
      now - policy.errorMs,
    );
    // dead letters older than their retention go with their message
    const dl = db.prepare('DELETE FROM dead_letters WHERE created_at < ?').run(now - policy.deadLetterMs).changes;
    db.prepare(`INSERT OR IGNORE INTO prune_ids SELECT id FROM messages m WHERE status = 'processed' AND received_at < ? AND ${live}
      AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.message_id = m.id)`).run(now - policy.processedMs);
    for (const table of ['message_keys', 'message_steps', 'outbox', 'edits']) {
      db.exec(`DELETE FROM ${table} WHERE message_id IN (SELECT id FROM prune_ids)`);
    }
    const n = db.prepare('DELETE FROM messages WHERE id IN (SELECT id FROM prune_ids)').run().changes;
    // idempotency keys older than every window we could be asked for (the error retention) are useless
    db.prepare('DELETE FROM idempotency_keys WHERE received_at < ?').run(now - Math.max(policy.processedMs, policy.errorMs));
    return { n, dl };
  })();
  const before = (db.pragma('freelist_count', { simple: true }) as number) ?? 0;
  db.pragma('incremental_vacuum');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { messagesDeleted: doomed.n, deadLettersDeleted: doomed.dl, pagesFreed: before };
}
