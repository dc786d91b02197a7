/**
 * The crosswalk repository's contract: the same behaviours on SQLite (the node's loom.db) and on
 * PostgreSQL (shared by nodes). Under CI=true the PostgreSQL half must run.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrosswalkCsvInvalid, crosswalkProvider, openCrosswalkRepository, openPostgresCrosswalkRepository, type CrosswalkRepository } from '../../src/crosswalks/index.js';
import { lookupCharge, translateCode } from '../../src/mappings/crosswalk.js';
import { dropSchema, freshSchema, PG_URL, pgAvailable } from '../support/pg.js';

const pgUp = await pgAvailable('crosswalk-contract');
const HEADER = 'kind,source_system,source_code,target_system,target_code,item_id,gl_account,cost_center,offset_account,description';
const V1 = [HEADER, 'charge,,278001,,,ITEM-1,6100,CC-OR,1400,hip stem', 'charge,,278002,,,ITEM-2,6100,CC-OR,1400,screw', 'code,LOCAL,P1,CPT,27130,,,,,THA'].join('\n');

/** One repository's data: open (again: a restart, or another node), run raw SQL beside it, clean up. */
interface Data { open(): Promise<CrosswalkRepository>; raw(sql: string): Promise<void>; shared: boolean; cleanup(): Promise<void> }
const adapters: Array<{ name: string; skip: boolean; data(): Promise<Data> }> = [
  {
    name: 'sqlite', skip: false,
    async data() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-crosswalks-'));
      return {
        open: async () => openCrosswalkRepository({ dataDir: dir }), shared: false,
        raw: async (sql) => {
          const db = new Database(path.join(dir, 'loom.db'));
          try { db.prepare(sql).run(); } finally { db.close(); }
        },
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres', skip: !pgUp,
    async data() {
      const schema = freshSchema();
      return {
        open: () => openPostgresCrosswalkRepository({ url: PG_URL, schema }), shared: true,
        raw: async (sql) => {
          const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path="${schema}"` });
          await c.connect();
          try { await c.query(sql); } finally { await c.end(); }
        },
        cleanup: () => dropSchema(schema),
      };
    },
  },
];

describe.each(adapters)('crosswalk repository contract: $name', (adapter) => {
  const t = adapter.skip ? it.skip : it;
  let data: Data;
  let repo: CrosswalkRepository;
  const opened: CrosswalkRepository[] = [];
  const reopen = async (): Promise<CrosswalkRepository> => {
    const r = await data.open();
    opened.push(r);
    return r;
  };
  beforeEach(async () => {
    if (adapter.skip) return;
    data = await adapter.data();
    repo = await reopen();
  });
  afterEach(async () => {
    for (const r of opened.splice(0)) await r.close();
    await data?.cleanup();
  });

  t('import → draft → edit → publish → current', async () => {
    const draft = await repo.importCsv('charge-codes', V1, { author: 'ana', note: 'first cut', effectiveDate: '2025-01-01' });
    expect(draft).toMatchObject({ name: 'charge-codes', version: '1', status: 'draft', author: 'ana', note: 'first cut', rowCount: 3 });
    expect(await repo.current('charge-codes', '2025-06-01')).toBeUndefined(); // drafts are never in effect

    const edited = await repo.editRows('charge-codes', '1', [
      { op: 'add', row: { kind: 'charge', chargeCode: '278003', glAccount: '6200', itemId: 'ITEM-3' } },
      { op: 'update', key: 'charge:278002', row: { kind: 'charge', chargeCode: '278002', glAccount: '6150', itemId: 'ITEM-2' } },
      { op: 'delete', key: 'code:LOCAL|P1|CPT' },
    ], 'bo');
    expect(edited.rows.map((r) => (r.kind === 'charge' ? `${r.chargeCode}=${r.glAccount}` : r.sourceCode))).toEqual(['278001=6100', '278002=6150', '278003=6200']);

    const published = await repo.publish('charge-codes', '1', 'cy');
    expect(published).toMatchObject({ status: 'published', publishedBy: 'cy' });
    const current = await repo.current('charge-codes', new Date('2025-03-01T12:00:00Z'));
    expect(current?.version).toBe('1');
    expect(lookupCharge(current!, '278003', 'FT1-7').glAccount).toBe('6200');
    expect((await repo.changes('charge-codes')).map((c) => `${c.action}:${c.actor}`)).toEqual(['import:ana', 'edit:bo', 'publish:cy']);
    expect(await repo.list()).toEqual([{ name: 'charge-codes', versions: 1, current: '1', drafts: [] }]);
  });

  t('serves the version in effect at a time, so replays see the rows of then', async () => {
    await repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-01-01', version: '2025.1' });
    await repo.publish('charge-codes', '2025.1', 'ana');
    const next = await repo.createDraft('charge-codes', { author: 'bo', effectiveDate: '2025-07-01', version: '2025.2' });
    expect(next.rows).toHaveLength(3); // copied from the latest published version
    await repo.editRows('charge-codes', '2025.2', [{ op: 'update', key: 'charge:278001', row: { kind: 'charge', chargeCode: '278001', glAccount: '6999', itemId: 'ITEM-1' } }], 'bo');
    await repo.publish('charge-codes', '2025.2', 'bo');

    const at = crosswalkProvider(repo);
    expect((await at('charge-codes', '2025-06-30T23:59:00-04:00')).version).toBe('2025.1');
    expect(lookupCharge(await at('charge-codes', '2025-06-30'), '278001', 'FT1-7').glAccount).toBe('6100');
    expect(lookupCharge(await at('charge-codes', new Date('2025-07-01T00:00:00Z')), '278001', 'FT1-7').glAccount).toBe('6999');
    expect(translateCode(await at('charge-codes', '2025-08-01'), 'LOCAL', 'P1', 'CPT')?.targetCode).toBe('27130');
    await expect(at('charge-codes', '2024-12-31')).rejects.toMatchObject({ code: 'crosswalk.not-effective' });
    await expect(at('no-such', '2025-01-01')).rejects.toMatchObject({ code: 'crosswalk.not-effective' });
  });

  t('diffs two versions: rows added, removed and changed', async () => {
    await repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-01-01' });
    await repo.createDraft('charge-codes', { author: 'ana', effectiveDate: '2025-02-01', from: '1' });
    await repo.editRows('charge-codes', '2', [
      { op: 'add', row: { kind: 'code', sourceSystem: 'LOCAL', sourceCode: 'P2', targetSystem: 'CPT', targetCode: '27447' } },
      { op: 'delete', key: 'charge:278002' },
      { op: 'update', key: 'charge:278001', row: { kind: 'charge', chargeCode: '278001', glAccount: '6100', itemId: 'ITEM-1', costCenter: 'CC-CATH' } },
    ], 'ana');
    const diff = await repo.diff('charge-codes', '1', '2');
    expect(diff.added).toEqual([{ kind: 'code', sourceSystem: 'LOCAL', sourceCode: 'P2', targetSystem: 'CPT', targetCode: '27447' }]);
    expect(diff.removed.map((r) => (r.kind === 'charge' ? r.chargeCode : ''))).toEqual(['278002']);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]).toMatchObject({ key: 'charge:278001', from: { costCenter: 'CC-OR' }, to: { costCenter: 'CC-CATH' } });
    expect(await repo.diff('charge-codes', '1', '1')).toEqual({ added: [], removed: [], changed: [] });
  });

  t('rejects an invalid CSV as a whole, with every bad line', async () => {
    const bad = [HEADER, 'charge,,278001,,,ITEM-1,6100,,,', 'charge,,278002,,,,,,,no gl account', 'widget,,X,,,,,,,', 'charge,,278001,,,ITEM-9,6100,,,dup'].join('\n');
    let thrown: unknown;
    try {
      await repo.importCsv('charge-codes', bad, { author: 'ana', effectiveDate: '2025-01-01' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CrosswalkCsvInvalid);
    const invalid = thrown as CrosswalkCsvInvalid;
    expect(invalid.code).toBe('crosswalk.csv.invalid');
    expect(invalid.location).toBe('line 3');
    expect(invalid.rowErrors.map((e) => [e.line, e.code])).toEqual([[3, 'crosswalk.row.missing'], [4, 'crosswalk.row.kind'], [5, 'crosswalk.row.duplicate']]);
    await expect(repo.versions('charge-codes')).rejects.toMatchObject({ code: 'crosswalk.unknown' });
    expect(await repo.list()).toEqual([]);
  });

  t('checks edits all-or-nothing and names the failing edit', async () => {
    await repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-01-01' });
    const edits = [
      { op: 'add' as const, row: { kind: 'charge' as const, chargeCode: '278009', glAccount: '6100' } },
      { op: 'add' as const, row: { kind: 'charge' as const, chargeCode: '278001', glAccount: '6100' } },
    ];
    await expect(repo.editRows('charge-codes', '1', edits, 'bo')).rejects.toMatchObject({ code: 'crosswalk.row.exists', location: 'edits[1].row' });
    expect((await repo.get('charge-codes', '1')).rowCount).toBe(3);
    await expect(repo.editRows('charge-codes', '1', [{ op: 'delete', key: 'charge:nope' }], 'bo')).rejects.toMatchObject({ code: 'crosswalk.row.unknown' });
    await expect(repo.editRows('charge-codes', '1', [{ op: 'add', row: { kind: 'charge', chargeCode: '1', glAccount: ' ' } }], 'bo')).rejects.toMatchObject({ code: 'crosswalk.row.invalid', location: 'edits[0].row.glAccount' });
    await expect(repo.get('charge-codes', '9')).rejects.toMatchObject({ code: 'crosswalk.version.unknown' });
    await expect(repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-01-01', version: '1' })).rejects.toMatchObject({ code: 'crosswalk.version.exists' });
    await expect(repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-02-30' })).rejects.toMatchObject({ code: 'crosswalk.date.invalid' });
  });

  t('keeps published versions immutable, in the repository and in the database', async () => {
    await repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-01-01' });
    await repo.publish('charge-codes', '1', 'ana');
    await expect(repo.editRows('charge-codes', '1', [{ op: 'delete', key: 'charge:278001' }], 'bo')).rejects.toMatchObject({ code: 'crosswalk.version.published' });
    await expect(repo.publish('charge-codes', '1', 'bo')).rejects.toMatchObject({ code: 'crosswalk.version.published' });
    await expect(data.raw(`DELETE FROM crosswalk_rows WHERE name = 'charge-codes'`)).rejects.toThrow(/immutable/);
    await expect(data.raw(`UPDATE crosswalk_versions SET effective_date = '2020-01-01'`)).rejects.toThrow(/immutable/);
    await expect(data.raw(`INSERT INTO crosswalk_rows (name, version, row_key, seq, row_json) VALUES ('charge-codes', '1', 'charge:9', 9, '{}')`)).rejects.toThrow(/immutable/);
  });

  t('takes version and effective date from the CSV metadata line, and survives reopening', async () => {
    await repo.importCsv('codes', `#version=2026.1;effective=2026-01-01\n${V1}`, { author: 'ana' });
    await repo.publish('codes', '2026.1', 'ana');
    const again = await reopen();
    expect(await again.current('codes', '2026-02-01')).toMatchObject({ version: '2026.1', effectiveDate: '2026-01-01', rowCount: 3 });
  });

  t('two nodes on one PostgreSQL see the same versions, and only one of two racing imports of a version wins', async () => {
    if (!data.shared) return; // SQLite is one node's file: nothing is shared between nodes
    const other = await reopen();
    const results = await Promise.allSettled([repo.importCsv('codes', V1, { author: 'ana', effectiveDate: '2025-01-01', version: '7' }), other.importCsv('codes', V1, { author: 'bo', effectiveDate: '2025-01-01', version: '7' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'crosswalk.version.exists' } });
    await other.publish('codes', '7', 'cy');
    expect((await repo.current('codes', '2025-02-01'))?.version).toBe('7');
    expect(await repo.list()).toEqual(await other.list());
    expect(await repo.changes('codes')).toEqual(await other.changes('codes'));
  });
});
