/**
 * The legacy database poller against real PostgreSQL and MariaDB (127.0.0.1). Each test owns its
 * table; under CI=true both halves run and fail when a server is down.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { batchQuery, dbPollConnector, DbPollInbound } from '../../src/connectors/db-poll/index.js';
import { RecordingIntake } from '../../src/connectors/shared/index.js';
import { newId, silentLogger, systemClock } from '../../src/kernel/index.js';
import { MARIADB_URL, PG_URL, serviceAvailable } from '../support/services.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

interface Db { exec(sql: string, params?: unknown[]): Promise<void>; close(): Promise<void> }

const databases = [
  {
    name: 'postgres', url: PG_URL, up: await serviceAvailable('db-poll postgres', PG_URL, 5432),
    async open(): Promise<Db> {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      return { exec: async (sql, params) => { await client.query(sql, params); }, close: () => client.end() };
    },
    createTable: (t: string) => `CREATE TABLE ${t} (id SERIAL PRIMARY KEY, item TEXT NOT NULL, qty INT NOT NULL, changed_at TIMESTAMP(3) NOT NULL)`,
    placeholders: (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', '),
  },
  {
    name: 'mariadb', url: MARIADB_URL, up: await serviceAvailable('db-poll mariadb', MARIADB_URL, 3306),
    async open(): Promise<Db> {
      const conn = await mysql.createConnection({ uri: MARIADB_URL, timezone: 'Z' });
      return { exec: async (sql, params) => { await conn.query(sql, params); }, close: () => conn.end() };
    },
    createTable: (t: string) => `CREATE TABLE ${t} (id INT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(40) NOT NULL, qty INT NOT NULL, changed_at DATETIME(3) NOT NULL)`,
    placeholders: (n: number) => Array.from({ length: n }, () => '?').join(', '),
  },
];

function poller(url: string, table: string, dataDir: string, intake: RecordingIntake) {
  const options = dbPollConnector.schema.parse({ channel: 'legacy-mm', url, table, watermark: 'changed_at', key: 'id', batchSize: 3, intervalMs: 3_600_000 });
  const inbound = dbPollConnector.inbound!(options, { logger: silentLogger, clock: systemClock, resolvePath: (p) => p, dataDir }) as DbPollInbound;
  cleanups.push(() => inbound.stop());
  return inbound;
}

const rowsOf = (intake: RecordingIntake) => intake.stored.map((s) => {
  const { row } = JSON.parse(Buffer.from(s.request.payload).toString()) as { row: { id: number; item: string; qty: number } };
  return `${row.id}:${row.item}:${row.qty}`;
});

describe('db-poll keyset query', () => {
  it('orders by (watermark, key) and reads strictly after the cursor in both dialects', () => {
    const options = dbPollConnector.schema.parse({ url: 'postgres://x/db', table: 'mm.supply_use', watermark: 'changed_at', key: 'id', batchSize: 50 });
    expect(batchQuery(options, 'pg', true)).toBe('SELECT * FROM "mm"."supply_use" WHERE "changed_at" > $1 OR ("changed_at" = $2 AND "id" > $3) ORDER BY "changed_at", "id" LIMIT 50');
    expect(batchQuery(options, 'mysql', false)).toBe('SELECT * FROM `mm`.`supply_use` ORDER BY `changed_at`, `id` LIMIT 50');
  });

  it('refuses table and column names that could carry SQL', () => {
    expect(dbPollConnector.schema.safeParse({ url: 'postgres://x/db', table: 'a; DROP TABLE b', watermark: 'w', key: 'k' }).success).toBe(false);
    expect(dbPollConnector.schema.safeParse({ url: 'mssql://x/db', table: 't', watermark: 'w', key: 'k' }).success).toBe(false);
  });
});

for (const db of databases) {
  const t = db.up ? it : it.skip;
  describe(`db-poll on ${db.name}`, () => {
    t('hands each row over once: rows sharing a watermark, batches, a changed row, a restart, a refused batch', async () => {
      const table = `loom_legacy_${newId().toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 40);
      const conn = await db.open();
      cleanups.push(async () => { await conn.exec(`DROP TABLE IF EXISTS ${table}`); await conn.close(); });
      await conn.exec(db.createTable(table));
      const insert = (item: string, qty: number, at: string) => conn.exec(`INSERT INTO ${table} (item, qty, changed_at) VALUES (${db.placeholders(3)})`, [item, qty, at]);
      // Four rows share one instant: the (watermark, key) cursor must neither skip nor repeat them.
      for (const [item, at] of [['gauze', '2026-12-05 08:00:00.000'], ['stent', '2026-12-05 08:00:01.000'], ['screw', '2026-12-05 08:00:01.000'],
        ['plate', '2026-12-05 08:00:01.000'], ['mesh', '2026-12-05 08:00:01.000'], ['lens', '2026-12-05 08:00:02.000'], ['valve', '2026-12-05 08:00:03.000']] as const) {
        await insert(item, 1, at);
      }
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'loom-db-poll-'));
      const intake = new RecordingIntake();
      const first = poller(db.url, table, dataDir, intake);
      await first.start(intake);
      await first.pollNow();
      expect(rowsOf(intake)).toEqual(['1:gauze:1', '2:stent:1', '3:screw:1', '4:plate:1', '5:mesh:1', '6:lens:1', '7:valve:1']);

      // A changed row moves its watermark: it is handed over again, with its new content.
      await conn.exec(`UPDATE ${table} SET qty = 5, changed_at = '2026-12-05 09:00:00.000' WHERE id = 3`);
      await insert('clip', 2, '2026-12-05 09:00:01.000');
      await first.pollNow();
      expect(rowsOf(intake).slice(7)).toEqual(['3:screw:5', '8:clip:2']);
      await first.stop();

      // A new life reads the durable cursor: nothing comes again.
      const second = poller(db.url, table, dataDir, intake);
      await second.start(intake);
      await second.pollNow();
      expect(intake.calls).toBe(9);

      // The store refuses mid-batch: the cursor stays, the batch is read again, each row stored once.
      await insert('pin', 1, '2026-12-05 10:00:00.000');
      await insert('wire', 1, '2026-12-05 10:00:01.000');
      let n = 0;
      const flaky = new RecordingIntake();
      const original = flaky.receive.bind(flaky);
      flaky.receive = async (request) => { n += 1; flaky.refuse = n === 2; return original(request); };
      for (const s of intake.stored) await original(s.request); // the same store as before
      const third = poller(db.url, table, dataDir, flaky);
      await third.start(flaky); // its first poll runs at once: pin is stored, wire refused, the poll fails
      await third.pollNow(); // queued behind it: reads the same batch again from the unmoved cursor
      expect(n).toBe(4);
      expect(rowsOf(flaky).slice(9)).toEqual(['9:pin:1', '10:wire:1']);
      expect(flaky.duplicates).toBe(1); // pin was stored before the refusal and came again
    });

    t('names a missing table with the masked URL and what to check', async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'loom-db-poll-'));
      const intake = new RecordingIntake();
      const inbound = poller(db.url, 'no_such_table_here', dataDir, intake);
      await inbound.start(intake);
      await expect(inbound.pollNow()).rejects.toMatchObject({ code: 'db-poll.query.failed' });
    });
  });
}
