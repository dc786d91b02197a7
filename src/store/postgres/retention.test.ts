import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../kernel/index.js';
import type { JournalEntry } from '../../kernel/store.js';
import { dropSchema, freshSchema, PG_URL, pgAvailable } from '../../../test/support/pg.js';
import { openPostgresStore, type PostgresStore } from './index.js';
import { prunePg } from './retention.js';

const up = await pgAvailable('postgres retention');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function open(): Promise<{ store: PostgresStore; schema: string }> {
  const schema = freshSchema();
  cleanups.push(() => dropSchema(schema));
  const store = await openPostgresStore({ url: PG_URL, schema });
  cleanups.push(() => store.close());
  return { store, schema };
}
async function client(schema: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path="${schema}"` });
  await c.connect();
  cleanups.push(() => c.end());
  return c;
}
function entry(at: number): JournalEntry {
  const id = newId(at);
  return {
    envelope: { id, correlationId: id, sourceSystem: 'ehr', channel: 'adt', contentType: 'text/plain', receivedAt: new Date(at).toISOString(), headers: {} },
    payload: new TextEncoder().encode(`payload ${id}`), status: 'rejected',
  };
}
const policy = { processedMs: 1000, errorMs: 1000, deadLetterMs: 1000 };

describe.skipIf(!up)('PostgreSQL retention', () => {
  it('deletes a backlog in batches and keeps the channel counts right', async () => {
    const { store, schema } = await open();
    const old = Date.now() - 60_000;
    for (let i = 0; i < 7; i++) await store.journal(entry(old + i));
    await store.journal(entry(Date.now()));
    const c = await client(schema);
    const pool = new pg.Pool({ connectionString: PG_URL, options: `-c search_path="${schema}"`, max: 1 });
    cleanups.push(() => pool.end());
    const pc = await pool.connect();
    cleanups.push(async () => pc.release());
    const r = await prunePg(pc, policy, Date.now(), {}, 3);
    expect(r.messagesDeleted).toBe(7);
    expect((await c.query('SELECT COUNT(*)::int AS n FROM messages')).rows[0].n).toBe(1);
    expect(await store.countByStatus('adt')).toEqual({ rejected: 1 });
  });

  it('skips a message another transaction holds instead of waiting for it, and takes it on the next run', async () => {
    const { store, schema } = await open();
    const old = Date.now() - 60_000;
    const held = entry(old);
    await store.journal(held);
    for (let i = 1; i < 4; i++) await store.journal(entry(old + i));
    const writer = await client(schema);
    await writer.query('BEGIN');
    await writer.query("UPDATE messages SET error = 'being written' WHERE id = $1", [held.envelope.id]);
    const first = await store.prune(policy, Date.now());
    expect(first.messagesDeleted).toBe(3);
    await writer.query('COMMIT');
    expect((await store.prune(policy, Date.now())).messagesDeleted).toBe(1);
    expect(await store.countByStatus('adt')).toEqual({});
  });
});
