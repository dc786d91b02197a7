import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLoomError } from '../../kernel/errors.js';
import { formatGs1ElementString, formatGs1Hri, formatHibcc, type Gs1Fields, type HibccFields } from './format.js';
import { GS } from './gs1.js';
import { gs1CheckDigit } from './gs1-values.js';
import { parseUdi } from './parse.js';

const now = new Date('2026-06-15T00:00:00Z');

// Dates inside the GS1 century window around `now` (1977-2076)
const isoDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2060-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const gtin = fc.stringMatching(/^\d{13}$/).map((body) => body + gs1CheckDigit(body));
// CSET 82 without "(" so HRI needs no escapes in the lot; a separate case covers escapes
const cset82 = fc.stringMatching(/^[!"%&')*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/);
const hibcText = fc.stringMatching(/^[A-Z0-9\-.]{1,18}$/);

const gs1Fields: fc.Arbitrary<Gs1Fields> = fc.record(
  { gtin, lot: cset82, serial: cset82, expiry: isoDate, manufactured: isoDate, quantity: fc.integer({ min: 0, max: 99_999_999 }) },
  { requiredKeys: ['gtin'] },
);
const hibcFields: fc.Arbitrary<HibccFields> = fc.record(
  {
    lic: fc.stringMatching(/^[A-Z][A-Z0-9]{3}$/),
    pcn: fc.stringMatching(/^[A-Z0-9]{1,18}$/),
    uom: fc.stringMatching(/^\d$/),
    lot: hibcText, serial: hibcText, expiry: isoDate, manufactured: isoDate,
    quantity: fc.integer({ min: 0, max: 99_999 }),
  },
  { requiredKeys: ['lic', 'pcn', 'uom'] },
);

function pick(u: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(u).filter(([k, v]) => keys.includes(k) && v !== undefined));
}
const KEYS = ['gtin', 'lot', 'serial', 'expiry', 'manufactured', 'quantity'];

describe('UDI properties', () => {
  it('random input throws nothing but LoomError', () => {
    const alphabet = fc.constantFrom(...'()]+=&$/%0123456789ACdeQ1\x1d|\\ -.'.split(''));
    const arb = fc.oneof(fc.string(), fc.string({ unit: alphabet }), fc.string({ unit: alphabet }).map((s) => `(01)${s}`),
      fc.string({ unit: alphabet }).map((s) => `+${s}`), fc.string({ unit: alphabet }).map((s) => `]d2${s}`));
    fc.assert(fc.property(arb, (s) => {
      try { parseUdi(s, { now }); } catch (e) { if (!isLoomError(e)) throw e; }
    }), { numRuns: 3000 });
  });

  it('GS1 HRI and element strings round-trip', () => {
    fc.assert(fc.property(gs1Fields, (f) => {
      const hri = parseUdi(formatGs1Hri(f), { now });
      const raw = parseUdi(formatGs1ElementString(f), { now });
      const scanned = parseUdi(`]d2${formatGs1ElementString(f).slice(1)}`, { now });
      expect(pick(hri, KEYS)).toEqual(pick(f, KEYS));
      expect(pick(raw, KEYS)).toEqual(pick(f, KEYS));
      expect(pick(scanned, KEYS)).toEqual(pick(f, KEYS));
    }), { numRuns: 500 });
  });

  it('escaped parentheses in HRI values round-trip', () => {
    const f = { gtin: '09506000134352', lot: 'A(1)', serial: '((' };
    expect(formatGs1Hri(f)).toBe('(01)09506000134352(10)A\\(1)(21)\\(\\(');
    expect(pick(parseUdi(formatGs1Hri(f), { now }), KEYS)).toEqual(f);
    expect(formatGs1ElementString(f)).toBe(`${GS}0109506000134352` + `10A(1)${GS}21((`);
  });

  it('HIBCC strings round-trip', () => {
    fc.assert(fc.property(hibcFields, (f) => {
      const u = parseUdi(formatHibcc(f), { now });
      expect(u.di).toBe(f.lic + f.pcn + f.uom);
      expect(pick(u, KEYS)).toEqual(pick(f, KEYS));
    }), { numRuns: 500 });
  });
});
