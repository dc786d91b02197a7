import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isLoomError } from '../../kernel/errors.js';
import { csvCodec, formatCsv, getCsv, parseCsv, streamCsv, type CsvRowResult } from './index.js';

const BATCH = '\uFEFFgtin,lot,qty\r\n'
  + '09506000134352,"L,1",2\r\n' // line 2: delimiter in quotes
  + '09506000134352,"multi\nline",3\r\n' // line 3-4: embedded newline
  + '09506000134352,L3\r\n' // line 5: ragged
  + '\r\n' // line 6: empty, skipped
  + '09506000134352,L4,x\r\n' // line 7: schema violation
  + '09506000134352,"He said ""hi""",5\r\n'; // line 8: escaped quotes

const Row = z.object({ gtin: z.string().regex(/^\d{14}$/), lot: z.string(), qty: z.coerce.number().int().positive() });

describe('parseCsv', () => {
  it('reads quoted fields, embedded newlines and a BOM, with starting line numbers', () => {
    const t = parseCsv(BATCH);
    expect(t.columns).toEqual(['gtin', 'lot', 'qty']);
    expect(t.rows.map((r) => r.lot)).toEqual(['L,1', 'multi\nline', 'L4', 'He said "hi"']);
    expect(t.lines).toEqual([2, 3, 7, 8]);
  });

  it('reports ragged rows as csv.row.invalid and keeps going', () => {
    const t = parseCsv(BATCH);
    expect(t.errors.map((e) => [e.code, e.location])).toEqual([['csv.row.invalid', 'line 5']]);
  });

  it('validates rows with a zod schema without stopping the batch', () => {
    const t = parseCsv(BATCH, { schema: Row });
    expect(t.rows).toEqual([
      { gtin: '09506000134352', lot: 'L,1', qty: 2 }, { gtin: '09506000134352', lot: 'multi\nline', qty: 3 },
      { gtin: '09506000134352', lot: 'He said "hi"', qty: 5 }]);
    expect(t.errors.map((e) => e.location)).toEqual(['line 5', 'line 7 column qty']);
  });

  it('reports a broken quote on its line and still reads the earlier rows', () => {
    const t = parseCsv('a,b\n1,2\n"x"y,3\n');
    expect(t.rows).toEqual([{ a: '1', b: '2' }]);
    expect(t.errors[0]).toMatchObject({ code: 'csv.row.invalid', location: 'line 3' });
  });

  it('uses given column names, with or without a header line', () => {
    expect(parseCsv('x,y\n1,2\n', { columns: ['a', 'b'] }).rows).toEqual([{ a: '1', b: '2' }]);
    expect(parseCsv('1,2\n', { header: false, columns: ['a', 'b'] }).rows).toEqual([{ a: '1', b: '2' }]);
    expect(parseCsv('1;2\n', { header: false, delimiter: ';' }).rows).toEqual([{ 1: '1', 2: '2' }]);
  });
});

describe('streamCsv', () => {
  it('yields the same rows and errors as parseCsv, from chunks split anywhere', async () => {
    const chunks = BATCH.match(/[\s\S]{1,7}/g) ?? [];
    const out: CsvRowResult<Record<string, string>>[] = [];
    for await (const r of streamCsv(Readable.from(chunks))) out.push(r);
    expect(out.map((r) => (r.ok ? `ok ${r.line}` : `err ${r.line}`))).toEqual(['ok 2', 'ok 3', 'err 5', 'ok 7', 'ok 8']);
  });

  it('streams a large file and stops cleanly when the consumer breaks', async () => {
    async function* gen(): AsyncGenerator<string> {
      yield 'n,v\n';
      for (let i = 0; i < 50_000; i++) yield `${i},v${i}\n`;
    }
    let seen = 0;
    for await (const r of streamCsv(gen())) { if (r.ok) seen++; if (seen === 1000) break; }
    expect(seen).toBe(1000);
  });
});

describe('formatCsv and csvCodec', () => {
  it('round-trips records through formatCsv and parseCsv', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ',', '"', '\n', ' ', 'é') });
    fc.assert(fc.property(fc.array(fc.record({ a: cell, b: cell }), { minLength: 1, maxLength: 20 }), (rows) => {
      const t = parseCsv(formatCsv(rows));
      expect(t.errors).toEqual([]);
      // csv-parse skips lines that are empty, so a row of two empty cells is written as ","
      expect(t.rows).toEqual(rows);
    }), { numRuns: 300 });
  });

  it('summarizes, gets by row[N].column and never sniffs content', () => {
    const t = csvCodec.parse(BATCH);
    expect(csvCodec.summarize(t).counts).toEqual({ rows: 4, columns: 3, rejected: 1 });
    expect(csvCodec.validate(t).errors[0]).toMatchObject({ code: 'csv.row.invalid', location: 'line 5' });
    expect(getCsv(t, 'row[2].lot')).toBe('multi\nline');
    expect(csvCodec.get(t, 'row[9].lot')).toBeUndefined();
    expect(csvCodec.detect('a,b,c\n1,2,3')).toBe(false);
    try { getCsv(t, 'lot'); expect.unreachable(); } catch (e) { expect(isLoomError(e) && e.code).toBe('csv.path.invalid'); }
  });

  it('reports an unclosed quote at end of file as a row error', () => {
    const t = parseCsv('a,b\n1,2\n"3,4\n');
    expect(t.rows).toEqual([{ a: '1', b: '2' }]);
    expect(t.errors[0]?.location).toBe('line 3');
  });
});
