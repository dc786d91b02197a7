import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isLoomError } from '../../kernel/errors.js';
import { formatGs1ElementString } from './format.js';
import { splitBracketed } from './gs1.js';
import { hibcCheckCharacter } from './hibcc.js';
import { parseUdi } from './parse.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus/udi');
const present = existsSync(corpus);
if (!present) console.warn(`[udi corpus] ${corpus} is absent: corpus tests skipped`);
const now = new Date('2026-01-01T00:00:00Z');

interface Gs1Case { input: string; valid: boolean; kind: string; note: string; rule?: string; expected_element_string?: string }
interface HibcCase { input: string; valid: boolean; kind: string; note: string; check_character?: string; expected_check_character?: string }

function load<T>(file: string): T[] {
  return (JSON.parse(readFileSync(path.join(corpus, file), 'utf8')) as { cases: T[] }).cases;
}

function outcome(input: string): { ok: boolean; code?: string } {
  try {
    parseUdi(input, { now });
    return { ok: true };
  } catch (e) {
    if (!isLoomError(e)) throw e; // anything else is a crash: fail loudly
    return { ok: false, code: e.code };
  }
}

/**
 * GS1 rules beyond syntax, character sets, check digits and dates that we do not implement,
 * so the engine's "invalid" becomes our "accepted". Keyed by the source's linter name or rule.
 */
const GS1_DEVIATIONS: { why: string; matches: (c: Gs1Case) => boolean }[] = [
  { why: 'AI association rules (mutex, requisites, repeats, digital-signature key) are GS1 application rules, not syntax',
    matches: (c) => c.rule !== undefined },
  { why: 'coupon (8110/8112) internal structure is not a UDI concern', matches: (c) => /LINTER_COUPON_/.test(c.note) },
  { why: 'code lists not carried (ISO 3166, ISO 4217, IBAN country and checksum)',
    matches: (c) => /LINTER_(NOT_ISO|IBAN_|INVALID_IBAN|ILLEGAL_IBAN|INCORRECT_IBAN)/.test(c.note) },
  { why: 'content linters not implemented: GS1 company prefix, check pair, zero value/prefix, piece numbers, lat/long, position in sequence, base64 padding, import index',
    matches: (c) => /LINTER_(TOO_SHORT_FOR_GCP|INVALID_GCP_PREFIX|INCORRECT_CHECK_PAIR|TOO_SHORT_FOR_CHECK_PAIR|ILLEGAL_ZERO_VALUE|ILLEGAL_ZERO_PREFIX|ZERO_PIECE|ZERO_TOTAL|PIECE_NUMBER|INVALID_LATITUDE|INVALID_LONGITUDE|POSITION_|INVALID_CSET64_PADDING|INVALID_IMPORT_IDX)/.test(c.note) },
];

describe.skipIf(!present)('GS1 corpus (gs1-syntax-engine vectors)', () => {
  const cases = present ? load<Gs1Case>('gs1-element-strings.json') : [];

  it('every case matches the engine or is a listed deviation, and every listed deviation still deviates', () => {
    const unexpected: string[] = [];
    const deviations: string[] = [];
    for (const c of cases) {
      const { ok } = outcome(c.input);
      const deviation = GS1_DEVIATIONS.some((d) => d.matches(c)) && !c.valid;
      if (deviation) {
        deviations.push(c.input);
        if (!ok) unexpected.push(`deviation no longer needed (now rejected): ${JSON.stringify(c.input)}`);
      } else if (ok !== c.valid) {
        unexpected.push(`${JSON.stringify(c.input)} expected ${c.valid ? 'valid' : 'invalid'} (${c.note})`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(cases.length).toBe(317);
    // 41 association-rule cases + 78 content-linter cases, counted in the report
    expect(deviations.length).toBe(119);
  });

  it('normalises bracketed valid cases to the engine\'s element string', () => {
    const checked = cases.filter((c) => c.valid && c.kind === 'bracketed-hri' && c.expected_element_string);
    expect(checked.length).toBeGreaterThan(8);
    for (const c of checked) expect(formatGs1ElementString(splitBracketed(c.input))).toBe(c.expected_element_string);
  });

  it('reports a wrong GTIN check digit as udi.check-digit with the position', () => {
    const c = cases.find((x) => x.input === '\u001d0112345678901234');
    expect(c).toBeDefined();
    try {
      parseUdi('\u001d0112345678901234', { now });
      expect.unreachable();
    } catch (e) {
      expect(isLoomError(e) && e.code).toBe('udi.check-digit');
      expect(isLoomError(e) && e.location).toBe('(01) position 14');
    }
  });
});

describe.skipIf(!present)('HIBC corpus (zint vectors)', () => {
  const cases = present ? load<HibcCase>('hibc-vectors.json') : [];
  // HIBC PAS (+/...) tags patients, assets and orders: not device identifiers, rejected with
  // udi.unsupported. "+ABCV" is too short for a LIC primary (LIC 4 + PCN + UoM). The 69-char
  // case is only too long for Code 39, a symbology limit we cannot see in decoded data.
  const deviations = new Set(['+ABCV', '+/KN12345A', '+/E+/KN12345J', '/ACMRN123456/V200912190833', '/EO523201',
    '/EU720060FF0/O523201/Z34H159/M9842431340', '/LAH123/NC903', '1'.repeat(69)]);

  it('every vector matches or is a listed deviation', () => {
    const unexpected: string[] = [];
    for (const c of cases) {
      const input = c.kind === 'encoder-data' ? `+${c.input}${hibcCheckCharacter(`+${c.input}`)}` : c.input;
      const { ok } = outcome(input);
      if (deviations.has(c.input)) {
        if (ok === c.valid) unexpected.push(`deviation no longer needed: ${c.input}`);
      } else if (ok !== c.valid) unexpected.push(`${JSON.stringify(c.input)} expected ${c.valid} (${c.note})`);
    }
    expect(unexpected).toEqual([]);
  });

  it('stated check characters agree with the modulo-43 rule', () => {
    for (const c of cases.filter((x) => x.kind === 'hibc-full')) {
      const expected = c.expected_check_character ?? c.check_character;
      expect(hibcCheckCharacter(c.input.slice(0, -1))).toBe(expected);
    }
  });

  it('the published erratum "+/E+/KN12345A" fails on its check character', () => {
    expect(outcome('+/E+/KN12345A').code).toBe('udi.check-digit');
  });
});
