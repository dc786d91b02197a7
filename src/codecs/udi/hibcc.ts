import { LoomError } from '../../kernel/errors.js';
import { checkHour, checkedDate, fromJulian, resolveCentury } from './dates.js';
import type { Udi } from './types.js';

// ANSI/HIBC 2.6 appendix: the 43 characters and their values for the modulo-43 check.
export const HIBC_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';
/** Longest data between the "+" flag and the check character (zint's HIBC limit). */
const MAX_DATA = 110;

/** The HIBC modulo-43 check character of `text` (which includes the leading "+"). */
export function hibcCheckCharacter(text: string): string {
  let sum = 0;
  for (const ch of text) sum += HIBC_CHARSET.indexOf(ch);
  return HIBC_CHARSET[sum % 43] ?? '';
}

function syntax(message: string, location: string, hint?: string): LoomError {
  return new LoomError('udi.syntax', message, { location, hint });
}

interface Secondary {
  lot?: string;
  serial?: string;
  expiry?: string;
  quantity?: number;
  raw: Record<string, string>;
}

function yy(text: string, now: Date): number {
  return resolveCentury(Number(text), now);
}

/** HIBC date formats after "$$" (ANSI/HIBC 2.6 table 2): returns [iso date, characters used]. */
function readDate(flag: string, s: string, now: Date): [string | undefined, number] {
  const need = (n: number): string => {
    const d = s.slice(0, n);
    if (!/^\d+$/.test(d) || d.length < n) throw new LoomError('udi.date.invalid', `HIBC date format ${flag} needs ${n} digits, found "${d}"`, { location: 'secondary date' });
    return d;
  };
  const loc = 'secondary date';
  switch (flag) {
    case 'MMYY': { const d = need(4); const y = yy(d.slice(2), now); return [checkedDate(y, Number(d.slice(0, 2)), 0, d, loc, true), 4]; }
    case '2': { const d = need(6); return [checkedDate(yy(d.slice(4), now), Number(d.slice(0, 2)), Number(d.slice(2, 4)), d, loc), 6]; }
    case '3': { const d = need(6); return [checkedDate(yy(d.slice(0, 2), now), Number(d.slice(2, 4)), Number(d.slice(4)), d, loc), 6]; }
    case '4': { const d = need(8); checkHour(d.slice(6), loc); return [checkedDate(yy(d.slice(0, 2), now), Number(d.slice(2, 4)), Number(d.slice(4, 6)), d, loc), 8]; }
    case '5': { const d = need(5); return [fromJulian(yy(d.slice(0, 2), now), Number(d.slice(2)), d, loc), 5]; }
    case '6': { const d = need(7); checkHour(d.slice(5), loc); return [fromJulian(yy(d.slice(0, 2), now), Number(d.slice(2, 5)), d, loc), 7]; }
    case '7': return [undefined, 0];
    default: throw syntax(`unknown HIBC date format ${flag}`, loc);
  }
}

/** Parses secondary data (without "+", link and check): lot/serial, expiry, quantity, supplements. */
function parseSecondary(text: string, now: Date): Secondary {
  const [main = '', ...supplements] = text.split('/');
  const out: Secondary = { raw: {} };
  let rest: string;
  let isSerial = false;
  if (main.startsWith('$$')) {
    rest = main.slice(2);
    if (rest.startsWith('+')) { isSerial = true; rest = rest.slice(1); }
    const q = rest[0] === '8' ? 2 : rest[0] === '9' ? 5 : 0; // $$8 QQ, $$9 QQQQQ
    if (q > 0) {
      const qty = rest.slice(1, 1 + q);
      if (!/^\d+$/.test(qty) || qty.length < q) throw syntax(`HIBC quantity needs ${q} digits, found "${qty}"`, 'secondary quantity');
      out.quantity = Number(qty);
      out.raw.quantity = qty;
      rest = rest.slice(1 + q);
    }
    const flag = /^[2-7]/.test(rest) ? (rest[0] ?? '') : 'MMYY';
    if (flag !== 'MMYY') rest = rest.slice(1);
    const [date, used] = readDate(flag, rest, now);
    if (date !== undefined) { out.expiry = date; out.raw.expiry = rest.slice(0, used); }
    rest = rest.slice(used);
  } else if (main.startsWith('$+')) {
    isSerial = true;
    rest = main.slice(2);
  } else if (main.startsWith('$')) {
    rest = main.slice(1);
  } else if (/^\d{5}/.test(main)) {
    // Original secondary format: YYJJJ manufacture/expiry Julian date then lot (HIBC 2.6 4.2)
    const [date] = readDate('5', main, now);
    if (date !== undefined) { out.expiry = date; out.raw.expiry = main.slice(0, 5); }
    rest = main.slice(5);
  } else {
    throw syntax(`HIBC secondary data must start with $, $$, $+ or a 5-digit Julian date, found "${main.slice(0, 3)}"`, 'secondary');
  }
  if (rest.length > 0) {
    if (isSerial) out.serial = rest; else out.lot = rest;
    out.raw[isSerial ? 'serial' : 'lot'] = rest;
  }
  for (const s of supplements) {
    // Supplemental data identifiers: /S serial, /16D manufacture date, /14D expiry (YYYYMMDD)
    if (s.startsWith('S')) { out.serial = s.slice(1); out.raw.serial = out.serial; continue; }
    const m = /^(1[46])D(\d{8})$/.exec(s);
    if (m?.[2]) {
      const d = m[2];
      const iso = checkedDate(Number(d.slice(0, 4)), Number(d.slice(4, 6)), Number(d.slice(6)), d, `/${m[1]}D`);
      out.raw[`${m[1]}D`] = d;
      if (m[1] === '14') out.expiry = iso; else out.raw.manufactured = iso;
      continue;
    }
    out.raw[`/${s}`] = s;
  }
  return out;
}

interface HibcParsed { udi: Udi; check: string; link?: string }

function parseOne(input: string, now: Date): HibcParsed {
  if (!input.startsWith('+')) throw syntax('HIBC data starts with "+"', 'character 1');
  for (let i = 0; i < input.length; i++) {
    if (!HIBC_CHARSET.includes(input[i] ?? '')) {
      throw syntax(`"${input[i]}" is not allowed in HIBC data (A-Z 0-9 space - . $ / + %)`, `character ${i + 1}`);
    }
  }
  if (input.length < 3) throw syntax('HIBC data is too short', 'character 1');
  if (input.length - 2 > MAX_DATA) throw syntax(`HIBC data is ${input.length - 2} characters, at most ${MAX_DATA}`, `character ${MAX_DATA + 2}`);
  const check = input.at(-1) ?? '';
  const expected = hibcCheckCharacter(input.slice(0, -1));
  if (check !== expected) {
    throw new LoomError('udi.check-digit', `HIBC check character is "${check}" but the data give "${expected}"`, {
      location: `character ${input.length}`, hint: 'rescan; the modulo-43 check covers every character from the "+"',
    });
  }
  const data = input.slice(1, -1);
  if (data.startsWith('/')) {
    throw new LoomError('udi.unsupported', 'HIBC PAS (Provider Applications Standard) data is not a device identifier', {
      location: 'character 2', hint: 'PAS tags (patient, asset, order) are not UDIs; only HIBC LIC primary/secondary data is parsed',
    });
  }
  const ais: Record<string, string> = { check };
  if (/^[A-Z]/.test(data)) {
    const slash = data.indexOf('/');
    const primary = slash === -1 ? data : data.slice(0, slash);
    // Primary: LIC (4, first alphabetic) + PCN (1-18 alphanumeric) + unit of measure (1 digit)
    const m = /^([A-Z][A-Z0-9]{3})([A-Z0-9]{1,18})([0-9])$/.exec(primary);
    if (!m?.[1] || !m[2] || !m[3]) {
      throw syntax(`HIBC primary "${primary}" must be LIC (4) + product number (1-18 alphanumeric) + unit of measure (digit)`, 'character 2');
    }
    Object.assign(ais, { lic: m[1], pcn: m[2], uom: m[3] });
    const udi: Udi = { issuer: 'HIBCC', di: primary, ais };
    if (slash !== -1) mergeSecondary(udi, parseSecondary(data.slice(slash + 1), now));
    return { udi, check };
  }
  const link = data.at(-1) ?? '';
  const udi: Udi = { issuer: 'HIBCC', di: '', ais: { ...ais, link } };
  mergeSecondary(udi, parseSecondary(data.slice(0, -1), now));
  return { udi, check, link };
}

function mergeSecondary(udi: Udi, s: Secondary): void {
  if (s.lot !== undefined) udi.lot = s.lot;
  if (s.serial !== undefined) udi.serial = s.serial;
  if (s.expiry !== undefined) udi.expiry = s.expiry;
  if (s.quantity !== undefined) udi.quantity = s.quantity;
  const { manufactured, ...raw } = s.raw;
  if (manufactured !== undefined) udi.manufactured = manufactured;
  Object.assign(udi.ais, raw);
}

/**
 * Parses HIBC LIC data: a primary, a secondary, primary/secondary combined with "/", or a
 * primary and a separate secondary separated by a newline, tab or GS (link character verified).
 */
export function parseHibcc(input: string, now: Date): Udi {
  const parts = input.split(/[\r\n\t\x1d]+/).filter((p) => p.length > 0);
  if (parts.length === 2 && parts[0] && parts[1]) {
    const primary = parseOne(parts[0], now);
    const secondary = parseOne(parts[1], now);
    if (primary.link !== undefined || secondary.link === undefined) {
      throw syntax('two HIBC strings must be a primary followed by its secondary', 'string 2');
    }
    if (secondary.link !== primary.check) {
      throw new LoomError('udi.hibc.link', `secondary link character "${secondary.link}" does not match the primary's check character "${primary.check}"`, {
        location: 'string 2', hint: 'the labels belong to different items; scan the primary and secondary of one label',
      });
    }
    const udi = primary.udi;
    const { link, check, ...rest } = secondary.udi.ais;
    Object.assign(udi.ais, rest, { link: link ?? '', secondaryCheck: check ?? '' });
    for (const k of ['lot', 'serial', 'expiry', 'manufactured', 'quantity'] as const) {
      const v = secondary.udi[k];
      if (v !== undefined) Object.assign(udi, { [k]: v });
    }
    return udi;
  }
  if (parts.length !== 1 || !parts[0]) throw syntax('expected one HIBC string, or a primary and a secondary', 'character 1');
  return parseOne(parts[0], now).udi;
}
