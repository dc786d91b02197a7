import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupCharge, translateCode } from '../mappings/crosswalk.js';
import { openSqliteStore } from '../store/index.js';
import { CrosswalkCsvInvalid, crosswalkProvider, openCrosswalkRepository, type CrosswalkRepository } from './index.js';

const HEADER = 'kind,source_system,source_code,target_system,target_code,item_id,gl_account,cost_center,offset_account,description';
const V1 = [HEADER, 'charge,,278001,,,ITEM-1,6100,CC-OR,1400,hip stem', 'charge,,278002,,,ITEM-2,6100,CC-OR,1400,screw', 'code,LOCAL,P1,CPT,27130,,,,,THA'].join('\n');

let dir: string;
let repo: CrosswalkRepository;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'loom-crosswalks-'));
  repo = openCrosswalkRepository({ dataDir: dir });
});
afterEach(() => {
  repo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('crosswalk repository', () => {
  it('import → draft → edit → publish → current', () => {
    const draft = repo.importCsv('charge-codes', V1, { author: 'ana', note: 'first cut', effectiveDate: '2025-01-01' });
    expect(draft).toMatchObject({ name: 'charge-codes', version: '1', status: 'draft', author: 'ana', note: 'first cut', rowCount: 3 });
    expect(repo.current('charge-codes', '2025-06-01')).toBeUndefined(); // drafts are never in effect

    const edited = repo.editRows('charge-codes', '1', [
      { op: 'add', row: { kind: 'charge', chargeCode: '278003', glAccount: '6200', itemId: 'ITEM-3' } },
      { op: 'update', key: 'charge:278002', row: { kind: 'charge', chargeCode: '278002', glAccount: '6150', itemId: 'ITEM-2' } },
      { op: 'delete', key: 'code:LOCAL|P1|CPT' },
    ], 'bo');
    expect(edited.rows.map((r) => (r.kind === 'charge' ? `${r.chargeCode}=${r.glAccount}` : r.sourceCode))).toEqual(['278001=6100', '278002=6150', '278003=6200']);

    const published = repo.publish('charge-codes', '1', 'cy');
    expect(published).toMatchObject({ status: 'published', publishedBy: 'cy' });
    const current = repo.current('charge-codes', new Date('2025-03-01T12:00:00Z'));
    expect(current?.version).toBe('1');
    expect(lookupCharge(current!, '278003', 'FT1-7').glAccount).toBe('6200');
    expect(repo.changes('charge-codes').map((c) => `${c.action}:${c.actor}`)).toEqual(['import:ana', 'edit:bo', 'publish:cy']);
    expect(repo.list()).toEqual([{ name: 'charge-codes', versions: 1, current: '1', drafts: [] }]);
  });

  it('keeps published versions immutable, in the repository and in the database', () => {
    repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-01-01' });
    repo.publish('charge-codes', '1', 'ana');
    expect(() => repo.editRows('charge-codes', '1', [{ op: 'delete', key: 'charge:278001' }], 'bo')).toThrow(expect.objectContaining({ code: 'crosswalk.version.published' }));
    expect(() => repo.publish('charge-codes', '1', 'bo')).toThrow(expect.objectContaining({ code: 'crosswalk.version.published' }));
    const raw = new Database(path.join(dir, 'loom.db'));
    try {
      expect(() => raw.prepare(`DELETE FROM crosswalk_rows WHERE name = 'charge-codes'`).run()).toThrow(/immutable/);
      expect(() => raw.prepare(`UPDATE crosswalk_versions SET effective_date = '2020-01-01'`).run()).toThrow(/immutable/);
    } finally {
      raw.close();
    }
  });

  it('serves the version in effect at a time, so replays see the rows of then', () => {
    repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-01-01', version: '2025.1' });
    repo.publish('charge-codes', '2025.1', 'ana');
    const next = repo.createDraft('charge-codes', { author: 'bo', effectiveDate: '2025-07-01', version: '2025.2' });
    expect(next.rows).toHaveLength(3); // copied from the latest published version
    repo.editRows('charge-codes', '2025.2', [{ op: 'update', key: 'charge:278001', row: { kind: 'charge', chargeCode: '278001', glAccount: '6999', itemId: 'ITEM-1' } }], 'bo');
    repo.publish('charge-codes', '2025.2', 'bo');

    const at = crosswalkProvider(repo);
    expect(at('charge-codes', '2025-06-30T23:59:00-04:00').version).toBe('2025.1');
    expect(lookupCharge(at('charge-codes', '2025-06-30'), '278001', 'FT1-7').glAccount).toBe('6100');
    expect(lookupCharge(at('charge-codes', new Date('2025-07-01T00:00:00Z')), '278001', 'FT1-7').glAccount).toBe('6999');
    expect(translateCode(at('charge-codes', '2025-08-01'), 'LOCAL', 'P1', 'CPT')?.targetCode).toBe('27130');
    expect(() => at('charge-codes', '2024-12-31')).toThrow(expect.objectContaining({ code: 'crosswalk.not-effective' }));
    expect(() => at('no-such', '2025-01-01')).toThrow(expect.objectContaining({ code: 'crosswalk.not-effective' }));
  });

  it('diffs two versions: rows added, removed and changed', () => {
    repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-01-01' });
    repo.createDraft('charge-codes', { author: 'ana', effectiveDate: '2025-02-01', from: '1' });
    repo.editRows('charge-codes', '2', [
      { op: 'add', row: { kind: 'code', sourceSystem: 'LOCAL', sourceCode: 'P2', targetSystem: 'CPT', targetCode: '27447' } },
      { op: 'delete', key: 'charge:278002' },
      { op: 'update', key: 'charge:278001', row: { kind: 'charge', chargeCode: '278001', glAccount: '6100', itemId: 'ITEM-1', costCenter: 'CC-CATH' } },
    ], 'ana');
    const diff = repo.diff('charge-codes', '1', '2');
    expect(diff.added).toEqual([{ kind: 'code', sourceSystem: 'LOCAL', sourceCode: 'P2', targetSystem: 'CPT', targetCode: '27447' }]);
    expect(diff.removed.map((r) => (r.kind === 'charge' ? r.chargeCode : ''))).toEqual(['278002']);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]).toMatchObject({ key: 'charge:278001', from: { costCenter: 'CC-OR' }, to: { costCenter: 'CC-CATH' } });
    expect(repo.diff('charge-codes', '1', '1')).toEqual({ added: [], removed: [], changed: [] });
  });

  it('rejects an invalid CSV as a whole, with every bad line', () => {
    const bad = [HEADER, 'charge,,278001,,,ITEM-1,6100,,,', 'charge,,278002,,,,,,,no gl account', 'widget,,X,,,,,,,', 'charge,,278001,,,ITEM-9,6100,,,dup'].join('\n');
    let thrown: unknown;
    try {
      repo.importCsv('charge-codes', bad, { author: 'ana', effectiveDate: '2025-01-01' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CrosswalkCsvInvalid);
    const invalid = thrown as CrosswalkCsvInvalid;
    expect(invalid.code).toBe('crosswalk.csv.invalid');
    expect(invalid.location).toBe('line 3');
    expect(invalid.rowErrors.map((e) => [e.line, e.code])).toEqual([[3, 'crosswalk.row.missing'], [4, 'crosswalk.row.kind'], [5, 'crosswalk.row.duplicate']]);
    expect(() => repo.versions('charge-codes')).toThrow(expect.objectContaining({ code: 'crosswalk.unknown' }));
    expect(repo.list()).toEqual([]);
  });

  it('checks edits all-or-nothing and names the failing edit', () => {
    repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-01-01' });
    const edits = [
      { op: 'add' as const, row: { kind: 'charge' as const, chargeCode: '278009', glAccount: '6100' } },
      { op: 'add' as const, row: { kind: 'charge' as const, chargeCode: '278001', glAccount: '6100' } },
    ];
    expect(() => repo.editRows('charge-codes', '1', edits, 'bo')).toThrow(expect.objectContaining({ code: 'crosswalk.row.exists', location: 'edits[1].row' }));
    expect(repo.get('charge-codes', '1').rowCount).toBe(3);
    expect(() => repo.editRows('charge-codes', '1', [{ op: 'delete', key: 'charge:nope' }], 'bo')).toThrow(expect.objectContaining({ code: 'crosswalk.row.unknown' }));
    expect(() => repo.editRows('charge-codes', '1', [{ op: 'add', row: { kind: 'charge', chargeCode: '1', glAccount: ' ' } }], 'bo')).toThrow(expect.objectContaining({ code: 'crosswalk.row.invalid', location: 'edits[0].row.glAccount' }));
    expect(() => repo.get('charge-codes', '9')).toThrow(expect.objectContaining({ code: 'crosswalk.version.unknown' }));
    expect(() => repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-01-01', version: '1' })).toThrow(expect.objectContaining({ code: 'crosswalk.version.exists' }));
    expect(() => repo.importCsv('charge-codes', V1, { author: 'ana', effectiveDate: '2025-02-30' })).toThrow(expect.objectContaining({ code: 'crosswalk.date.invalid' }));
  });

  it('takes version and effective date from the CSV metadata line, and survives reopening', () => {
    repo.importCsv('codes', `#version=2026.1;effective=2026-01-01\n${V1}`, { author: 'ana' });
    repo.publish('codes', '2026.1', 'ana');
    repo.close();
    repo = openCrosswalkRepository({ dataDir: dir });
    expect(repo.current('codes', '2026-02-01')).toMatchObject({ version: '2026.1', effectiveDate: '2026-01-01', rowCount: 3 });
  });

  it('shares loom.db with the message store whichever opens first', async () => {
    repo.importCsv('codes', V1, { author: 'ana', effectiveDate: '2025-01-01' });
    const store = await openSqliteStore({ dataDir: dir }); // applies 001.. and skips 005, already applied
    await store.close();
    const other = mkdtempSync(path.join(os.tmpdir(), 'loom-crosswalks-'));
    try {
      const first = await openSqliteStore({ dataDir: other });
      const second = openCrosswalkRepository({ dataDir: other });
      expect(second.list()).toEqual([]);
      second.close();
      await first.close();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    expect(repo.versions('codes')).toHaveLength(1);
  });
});
