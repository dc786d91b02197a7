import { describe, expect, it } from 'vitest';
import { loadCrosswalkCsv, lookupCharge, translateCode } from './crosswalk.js';
import { fixtureText, thrown } from './test-support.js';

describe('crosswalk CSV', () => {
  it('reads version, effective date and rows', () => {
    const { crosswalk, errors } = loadCrosswalkCsv(fixtureText('crosswalk-v1.csv'));
    expect(errors).toEqual([]);
    expect([crosswalk.version, crosswalk.effectiveDate, crosswalk.rows.length]).toEqual(['2025.1', '2025-01-01', 5]);
    expect(lookupCharge(crosswalk, 'C1776', 'FT1-7')).toMatchObject({ itemId: 'ITEM-KNEE-5000', glAccount: '5100 - Implant Expense - H', offsetAccount: '1410 - Implant Inventory - H' });
    expect(translateCode(crosswalk, 'LOCAL', 'XR1', 'http://www.ama-assn.org/go/cpt')?.targetCode).toBe('71045');
    expect(translateCode(crosswalk, 'LOCAL', 'XR2', 'http://www.ama-assn.org/go/cpt')).toBeUndefined();
  });

  it('reports bad rows per line and keeps the good ones', () => {
    const { crosswalk, errors } = loadCrosswalkCsv(fixtureText('crosswalk-bad-rows.csv'), { version: 't', effectiveDate: '2025-01-01' });
    expect(crosswalk.rows.map((r) => (r.kind === 'charge' ? r.glAccount : r.kind))).toEqual(['5100']); // the duplicate C1776 row (5999) is dropped
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'crosswalk.row.missing'], [4, 'crosswalk.row.missing'], [5, 'crosswalk.row.kind'], [6, 'crosswalk.row.duplicate'],
    ]);
    expect(lookupCharge(crosswalk, 'C1776', 'x').glAccount).toBe('5100'); // first row wins
  });

  it('needs version and effective date, and a usable header', () => {
    expect(thrown(() => loadCrosswalkCsv('kind,source_code\n')).code).toBe('crosswalk.meta.missing');
    expect(thrown(() => loadCrosswalkCsv('a,b\n1,2\n', { version: '1', effectiveDate: '2025-01-01' })).code).toBe('crosswalk.header.invalid');
  });

  it('a miss is mapping.code.unknown naming the code, the version and the location', () => {
    const { crosswalk } = loadCrosswalkCsv(fixtureText('crosswalk-v1.csv'));
    const e = thrown(() => lookupCharge(crosswalk, 'ZZZ', 'FT1[3]-7'));
    expect([e.code, e.location]).toEqual(['mapping.code.unknown', 'FT1[3]-7']);
    expect(e.message).toContain('2025.1');
  });
});
