/** The shadow store on SQLite and PostgreSQL (own schema per test); under CI=true both must run. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openShadowStore, ShadowRecorder } from '../../src/modernization/index.js';
import { newId } from '../../src/kernel/index.js';
import { PG_URL, serviceAvailable } from '../support/services.js';

const pgUp = await serviceAvailable('shadow store postgres', PG_URL, 5432);
const adapters = [
  { name: 'sqlite', skip: false, open: async () => ({ store: await openShadowStore({ kind: 'sqlite', dataDir: mkdtempSync(path.join(os.tmpdir(), 'loom-shadow-')) }), drop: async () => undefined }) },
  {
    name: 'postgres', skip: !pgUp,
    open: async () => {
      const schema = `loom_test_${newId().toLowerCase()}`;
      return {
        store: await openShadowStore({ kind: 'postgres', url: PG_URL, schema, dataDir: os.tmpdir() }),
        drop: async () => { const c = new pg.Client({ connectionString: PG_URL }); await c.connect(); await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); await c.end(); },
      };
    },
  },
];

const msg = (control: string, family: string) => `MSH|^~\\&|A|B|C|D|20261205||ADT^A01|${control}|P|2.5.1\rPID|1||M1||${family}`;
let clock = 0;

for (const adapter of adapters) {
  (adapter.skip ? describe.skip : describe)(`shadow store on ${adapter.name}`, () => {
    it('pairs the two sides of each message in either order, and counts per status', async () => {
      const { store, drop } = await adapter.open();
      const recorder = new ShadowRecorder(store, { now: () => ++clock });
      recorder.shadow({ name: 'adt', format: 'hl7v2', shadow: { matchBy: 'MSH-10', ignore: [] } });
      try {
        expect((await recorder.record('loom', 'adt', 'lis', msg('1', 'DOE'))).status).toBe('loom-only');
        expect((await recorder.record('legacy', 'adt', 'lis', msg('1', 'DOE'))).status).toBe('match');
        expect((await recorder.record('legacy', 'adt', 'lis', msg('2', 'X'))).status).toBe('legacy-only');
        const late = await recorder.record('loom', 'adt', 'lis', msg('2', 'Y'));
        expect(late).toMatchObject({ status: 'differ', key: '2', differences: [{ path: 'PID-5', loom: 'Y', legacy: 'X' }] });
        // Both sides of one message at the same moment: one row, decided once both are in.
        const [a, b] = await Promise.all([recorder.record('loom', 'adt', 'lis', msg('3', 'Z')), recorder.record('legacy', 'adt', 'lis', msg('3', 'Z'))]);
        const statuses = [a.status, b.status].sort();
        expect([['legacy-only', 'match'], ['loom-only', 'match']]).toContainEqual(statuses);
        expect((await recorder.list('adt', { limit: 10, status: 'match' })).map((r) => r.key).sort()).toEqual(['1', '3']);
        expect(await recorder.summary()).toEqual([{ channel: 'adt', match: 2, differ: 1, 'loom-only': 0, 'legacy-only': 0 }]);
      } finally {
        await recorder.close();
        await drop();
      }
    });
  });
}
