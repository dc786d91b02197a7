import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations } from './migrate.js';

describe('migration 006_channel_counts', () => {
  it('counts the messages stored before it, then follows inserts, status changes and deletes', () => {
    const db = new Database(':memory:');
    const all = loadMigrations();
    applyMigrations(db, all.filter((m) => m.version < 6));
    const insert = db.prepare(`INSERT INTO messages (id, channel, correlation_id, source_system, content_type, received_at, headers, status, payload, updated_at)
      VALUES (?, ?, ?, 'ehr', 'hl7v2', 0, '{}', ?, x'00', 0)`);
    for (const [id, channel, status] of [['a', 'adt', 'processed'], ['b', 'adt', 'processed'], ['c', 'adt', 'rejected'], ['d', 'orm', 'received']]) insert.run(id, channel, id, status);
    expect(applyMigrations(db, all)).toContain('006_channel_counts');
    const counts = () => Object.fromEntries((db.prepare('SELECT channel, status, n FROM channel_status_counts WHERE n > 0 ORDER BY channel, status').all() as Array<{ channel: string; status: string; n: number }>)
      .map((r) => [`${r.channel}/${r.status}`, r.n]));
    expect(counts()).toEqual({ 'adt/processed': 2, 'adt/rejected': 1, 'orm/received': 1 });

    insert.run('e', 'orm', 'e', 'received');
    db.prepare(`UPDATE messages SET status = 'processed' WHERE id = 'd'`).run();
    db.prepare(`UPDATE messages SET updated_at = 1 WHERE id = 'e'`).run(); // not a status change
    db.prepare(`DELETE FROM messages WHERE id IN ('a', 'c')`).run();
    expect(counts()).toEqual({ 'adt/processed': 1, 'orm/processed': 1, 'orm/received': 1 });
    db.close();
  });
});
