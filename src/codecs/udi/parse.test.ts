import { describe, expect, it } from 'vitest';
import { isLoomError } from '../../kernel/errors.js';
import { formatHibccPair } from './format.js';
import { hibcCheckCharacter } from './hibcc.js';
import { getUdi, parseUdi } from './parse.js';
import { udiCodec } from './codec.js';

const now = new Date('2026-06-15T00:00:00Z');

function code(fn: () => unknown): string | undefined {
  try { fn(); return undefined; } catch (e) { return isLoomError(e) ? e.code : `non-LoomError: ${String(e)}`; }
}

describe('GS1', () => {
  const expected = { gtin: '09506000134352', expiry: '2027-12-31', lot: 'LOT7', serial: 'SN1' };

  it.each([
    ['bracketed', '(01)09506000134352(17)271231(10)LOT7(21)SN1'],
    ['raw with FNC1', '\x1d010950600013435217271231' + '10LOT7\x1d21SN1'],
    ['raw without FNC1', '010950600013435217271231' + '10LOT7\x1d21SN1'],
    ['GS1 DataMatrix scan', ']d2010950600013435217271231' + '10LOT7\x1d21SN1'],
    ['GS1-128 scan with FNC1', ']C1\x1d010950600013435217271231' + '10LOT7\x1d21SN1'],
  ])('reads %s', (_, input) => {
    const udi = parseUdi(input, { now });
    expect(udi).toMatchObject({ issuer: 'GS1', di: expected.gtin, ...expected });
  });

  it('keeps the symbology identifier and the raw AIs', () => {
    const udi = parseUdi(']Q3010950600013435211250101' + '240REF-9\x1d241CP\x1d7003' + '2512312359\x1d3012', { now });
    expect(udi.symbology).toBe(']Q3');
    expect(udi.manufactured).toBe('2025-01-01');
    expect(udi.quantity).toBe(12);
    expect(udi.ais).toMatchObject({ '240': 'REF-9', '241': 'CP', '7003': '2512312359', '30': '12' });
  });

  it('expiry day 00 is the last day of the month, leap years included', () => {
    expect(parseUdi('(01)09506000134352(17)280200', { now }).expiry).toBe('2028-02-29');
    expect(parseUdi('(01)09506000134352(17)270200', { now }).expiry).toBe('2027-02-28');
  });

  it('applies the GS1 century rule relative to the reference date', () => {
    expect(parseUdi('(01)09506000134352(17)761231', { now }).expiry).toBe('2076-12-31');
    expect(parseUdi('(01)09506000134352(17)771231', { now }).expiry).toBe('1977-12-31');
    expect(parseUdi('(01)09506000134352(17)991231', { now: new Date('2098-01-01') }).expiry).toBe('2099-12-31');
    expect(parseUdi('(01)09506000134352(17)051231', { now: new Date('2098-01-01') }).expiry).toBe('2105-12-31');
  });

  it('rejects malformed dates with udi.date.invalid', () => {
    expect(code(() => parseUdi('(01)09506000134352(17)271301', { now }))).toBe('udi.date.invalid');
    expect(code(() => parseUdi('(01)09506000134352(17)270230', { now }))).toBe('udi.date.invalid');
    expect(code(() => parseUdi('(01)09506000134352(7003)2712312460', { now }))).toBe('udi.date.invalid');
  });

  it('rejects a bad GTIN check digit with its position and the expected digit', () => {
    try {
      parseUdi('(01)09506000134353', { now });
      expect.unreachable();
    } catch (e) {
      expect(isLoomError(e) && [e.code, e.location]).toEqual(['udi.check-digit', '(01) position 14']);
      expect((e as Error).message).toContain('give 2');
    }
  });

  it('rejects unknown syntax with udi.syntax', () => {
    for (const s of ['hello', '(01', ']XX0101', '\x1d89123', '(01)0950600013435']) expect(code(() => parseUdi(s, { now }))).toBe('udi.syntax');
  });

  it('reads EAN-13 scanner data as a GTIN', () => {
    expect(parseUdi(']E02112345678900', { now }).gtin).toBe('02112345678900');
  });
});

describe('HIBCC', () => {
  it('reads a combined primary/secondary and verifies the check character', () => {
    const udi = parseUdi('+A123BJC5D6E71/$$52001510X3C', { now });
    expect(udi).toMatchObject({ issuer: 'HIBCC', di: 'A123BJC5D6E71', lot: '10X3', expiry: '2020-01-15' });
    expect(udi.gtin).toBeUndefined();
    expect(code(() => parseUdi('+A123BJC5D6E71/$$52001510X3D', { now }))).toBe('udi.check-digit');
  });

  it.each([
    ['$$ MMYY', '$$0927LOT1', { lot: 'LOT1', expiry: '2027-09-30' }],
    ['$$2 MMDDYY', '$$2091527LOT1', { lot: 'LOT1', expiry: '2027-09-15' }],
    ['$$3 YYMMDD', '$$3270915LOT1', { lot: 'LOT1', expiry: '2027-09-15' }],
    ['$$4 YYMMDDHH', '$$427091510LOT1', { lot: 'LOT1', expiry: '2027-09-15' }],
    ['$$6 YYJJJHH', '$$62725810LOT1', { lot: 'LOT1', expiry: '2027-09-15' }],
    ['$$7 no date', '$$7LOT1', { lot: 'LOT1' }],
    ['$$8 quantity', '$$8243270915LOT1', { lot: 'LOT1', quantity: 24, expiry: '2027-09-15' }],
    ['$$9 quantity', '$$9001207LOT1', { lot: 'LOT1', quantity: 120 }],
    ['$$+ serial', '$$+3270915SER9', { serial: 'SER9', expiry: '2027-09-15' }],
    ['$+ serial', '$+SER9', { serial: 'SER9' }],
    ['supplements', '$LOT1/SSER9/16D20250102/14D20270915', { lot: 'LOT1', serial: 'SER9', manufactured: '2025-01-02', expiry: '2027-09-15' }],
  ])('reads secondary format %s', (_, secondary, fields) => {
    const body = `+A123BJC5D6E71/${secondary}`;
    expect(parseUdi(body + hibcCheckCharacter(body), { now })).toMatchObject(fields);
  });

  it('verifies the link character between a primary and a separate secondary', () => {
    const [primary, secondary] = formatHibccPair({ lic: 'A123', pcn: 'BJC5D6E7', uom: '1', lot: 'L9', expiry: '2027-03-04' });
    expect(parseUdi(`${primary}\n${secondary}`, { now })).toMatchObject({ di: 'A123BJC5D6E71', lot: 'L9', expiry: '2027-03-04' });
    const [, other] = formatHibccPair({ lic: 'B999', pcn: 'X', uom: '0', lot: 'L9' });
    expect(code(() => parseUdi(`${primary}\x1d${other}`, { now }))).toBe('udi.hibc.link');
  });
});

describe('ISBT 128', () => {
  it('reads product code, DIN and expiry', () => {
    const udi = parseUdi('=<E0398V00=A99992112345600=>025213', { now });
    expect(udi).toMatchObject({ issuer: 'ICCBBA', di: 'E0398V00', serial: 'A99992112345600', expiry: '2025-08-01' });
  });
  it('rejects unsupported data identifiers', () => {
    expect(code(() => parseUdi('=%5100', { now }))).toBe('udi.syntax');
  });
});

describe('getUdi and udiCodec', () => {
  const udi = parseUdi('(01)09506000134352(11)250101(17)271231(10)L1(21)S1', { now });
  it('gets every documented path', () => {
    expect(['di', 'gtin', 'lot', 'serial', 'expiry', 'manufactured', 'issuer'].map((p) => getUdi(udi, p)))
      .toEqual(['09506000134352', '09506000134352', 'L1', 'S1', '2027-12-31', '2025-01-01', 'GS1']);
    expect(getUdi(udi, '(17)')).toBe('271231');
    expect(code(() => getUdi(udi, 'nope'))).toBe('udi.path.unknown');
  });
  it('detects UDI syntaxes and nothing else', () => {
    for (const s of [']d2010950600013435210A', '(01)09506000134352', '0109506000134352', '+A123BJC5D6E71G', '=<E0398V00']) expect(udiCodec.detect(s)).toBe(true);
    for (const s of ['MSH|^~\\&|', 'ISA*00*', '{"resourceType":"Patient"}', 'a,b,c']) expect(udiCodec.detect(s)).toBe(false);
  });
  it('summarizes issuer and identifiers', () => {
    expect(udiCodec.summarize(udi)).toMatchObject({ format: 'udi', types: ['GS1'], controlIds: ['09506000134352', 'S1'] });
  });
});
