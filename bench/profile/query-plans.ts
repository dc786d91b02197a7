// EXPLAIN QUERY PLAN of every statement on the intake → complete → outbox → delivered hot path.
// `node --import tsx bench/profile/query-plans.ts <path/to/loom.db>`
import Database from 'better-sqlite3';
import { CLAIM_DUE, NEXT_DUE_OF_DESTINATION } from '../../src/store/sqlite/reads.js';

const db = new Database(process.argv[2] ?? '.loom/loom.db', { readonly: true });
const statements: Record<string, string> = {
  'journal: idempotency lookup': 'SELECT message_id, received_at FROM idempotency_keys WHERE source = ? AND dedup_key = ?',
  'journal: idempotency upsert': `INSERT INTO idempotency_keys (source, dedup_key, message_id, received_at) VALUES (?,?,?,?)
       ON CONFLICT (source, dedup_key) DO UPDATE SET message_id = excluded.message_id, received_at = excluded.received_at`,
  'journal: insert message': `INSERT INTO messages (id, channel, correlation_id, causation_id, source_system, content_type, received_at, headers,
        control_id, message_type, status, error, payload, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  'journal/complete: insert key': 'INSERT OR IGNORE INTO message_keys (message_id, key_name, key_value) VALUES (?,?,?)',
  'complete: update message': 'UPDATE messages SET status = ?, error = ?, correlation_id = COALESCE(?, correlation_id), updated_at = ? WHERE id = ?',
  'complete: insert step': 'INSERT OR REPLACE INTO message_steps (message_id, seq, name, status, started_at, duration_ms, error) VALUES (?,?,?,?,?,?,?)',
  'complete: insert outbox': `INSERT INTO outbox (id, message_id, channel, destination, status, attempts, next_attempt_at, idempotency_key, ordering_key,
        payload, content_type, headers, created_at) VALUES (?,?,?,?,'pending',0,?,?,?,?,?,?,?)`,
  'delivery: claimDue (per destination)': CLAIM_DUE,
  'delivery: nextDueAt (per destination)': NEXT_DUE_OF_DESTINATION,
  'delivery: markDelivered': "UPDATE outbox SET status = 'delivered', delivered_at = ?, response = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
  'start: listUnprocessed': "SELECT id FROM messages WHERE status IN ('received','processing') AND id > ? ORDER BY id LIMIT ?",
  'start: resetInFlight': "UPDATE outbox SET status = 'pending' WHERE status = 'in-flight'",
  'api: countByStatus': 'SELECT status, COUNT(*) AS n FROM messages WHERE channel = ? GROUP BY status',
  'search: by key': 'SELECT id FROM messages WHERE id IN (SELECT message_id FROM message_keys WHERE key_value = ?) ORDER BY id DESC LIMIT ?',
};
for (const [name, sql] of Object.entries(statements)) {
  const n = (sql.match(/\?/g) ?? []).length;
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from({ length: n }, () => null)) as { id: number; parent: number; detail: string }[];
  console.log(`${name}\n${plan.length ? plan.map((p) => `  ${p.detail}`).join('\n') : '  (no plan rows: plain insert)'}`);
}
for (const t of ['messages', 'message_keys', 'message_steps', 'idempotency_keys', 'outbox']) {
  console.log(`${t}: ${(db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n} rows`);
}
