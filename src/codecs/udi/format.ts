import { LoomError } from '../../kernel/errors.js';
import { GS } from './gs1.js';
import { lookupAi } from './gs1-ai-table.js';
import { gs1CheckDigit } from './gs1-values.js';
import { hibcCheckCharacter } from './hibcc.js';

/** UDI fields a device simulator or label printer fills in. Dates are ISO `YYYY-MM-DD`. */
export interface Gs1Fields {
  /** GTIN-14; 13 digits get their check digit appended. */
  gtin: string;
  lot?: string;
  serial?: string;
  expiry?: string;
  manufactured?: string;
  quantity?: number;
}

export interface HibccFields {
  /** Labeler Identification Code: 4 characters, first alphabetic. */
  lic: string;
  /** Product/catalog number, 1-18 alphanumeric. */
  pcn: string;
  /** Unit of measure digit 0-9. */
  uom: string;
  lot?: string;
  serial?: string;
  expiry?: string;
  manufactured?: string;
  quantity?: number;
}

function isoParts(iso: string, field: string): [string, string, string] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m?.[1] || !m[2] || !m[3]) throw new LoomError('udi.date.invalid', `${field} "${iso}" is not an ISO date YYYY-MM-DD`, { location: field });
  return [m[1], m[2], m[3]];
}

function yymmdd(iso: string, field: string): string {
  const [y, m, d] = isoParts(iso, field);
  return y.slice(2) + m + d;
}

function gs1Pairs(f: Gs1Fields): [string, string][] {
  const gtin = f.gtin.length === 13 ? f.gtin + gs1CheckDigit(f.gtin) : f.gtin;
  // Predefined-length AIs first so only variable ones need FNC1 separators (GS1 GS 5.10.1)
  const pairs: [string, string][] = [['01', gtin]];
  if (f.manufactured !== undefined) pairs.push(['11', yymmdd(f.manufactured, 'manufactured')]);
  if (f.expiry !== undefined) pairs.push(['17', yymmdd(f.expiry, 'expiry')]);
  if (f.quantity !== undefined) pairs.push(['30', String(f.quantity)]);
  if (f.lot !== undefined) pairs.push(['10', f.lot]);
  if (f.serial !== undefined) pairs.push(['21', f.serial]);
  return pairs;
}

/**
 * Builds GS1 human-readable (bracketed) data from UDI fields.
 * @example formatGs1Hri({ gtin: '09506000134352', expiry: '2027-12-31', lot: 'A1' })
 * // '(01)09506000134352(17)271231(10)A1'
 */
export function formatGs1Hri(fields: Gs1Fields): string {
  return gs1Pairs(fields).map(([ai, v]) => `(${ai})${v.replace(/\(/g, '\\(')}`).join('');
}

/**
 * Builds a raw GS1 element string: FNC1 (GS) first, GS after each variable-length AI but the last.
 * @example formatGs1ElementString({ gtin: '09506000134352', lot: 'A1', serial: 'S9' })
 * // '\x1d0109506000134352' + '10A1\x1d21S9'
 */
export function formatGs1ElementString(fields: Gs1Fields | [string, string][]): string {
  const pairs = Array.isArray(fields) ? fields : gs1Pairs(fields);
  let out = GS;
  pairs.forEach(([ai, value], i) => {
    out += ai + value;
    const spec = lookupAi(ai, true);
    if (i < pairs.length - 1 && !spec?.predefined) out += GS;
  });
  return out;
}

const LOT = /^[A-Z0-9\-.]{1,18}$/;

function hibcSecondary(f: HibccFields): string | undefined {
  for (const [name, v] of [['lot', f.lot], ['serial', f.serial]] as const) {
    if (v !== undefined && !LOT.test(v)) {
      throw new LoomError('udi.syntax', `HIBC ${name} "${v}" must be 1-18 of A-Z 0-9 - .`, { location: name });
    }
  }
  if (f.lot === undefined && f.serial === undefined && f.expiry === undefined && f.quantity === undefined && f.manufactured === undefined) return undefined;
  const serialInline = f.lot === undefined && f.serial !== undefined;
  let s: string;
  if (f.quantity !== undefined || f.expiry !== undefined) {
    s = serialInline ? '$$+' : '$$';
    if (f.quantity !== undefined) {
      if (!Number.isInteger(f.quantity) || f.quantity < 0 || f.quantity > 99999) {
        throw new LoomError('udi.syntax', `HIBC quantity ${f.quantity} must be 0-99999`, { location: 'quantity' });
      }
      s += f.quantity < 100 ? `8${String(f.quantity).padStart(2, '0')}` : `9${String(f.quantity).padStart(5, '0')}`;
    }
    // $$3 YYMMDD expiry, $$7 no date (ANSI/HIBC 2.6 table 2)
    s += f.expiry !== undefined ? `3${yymmdd(f.expiry, 'expiry')}` : '7';
  } else {
    s = serialInline ? '$+' : '$';
  }
  s += (serialInline ? f.serial : f.lot) ?? '';
  if (!serialInline && f.serial !== undefined) s += `/S${f.serial}`;
  if (f.manufactured !== undefined) s += `/16D${isoParts(f.manufactured, 'manufactured').join('')}`;
  return s;
}

function hibcPrimary(f: HibccFields): string {
  const primary = f.lic + f.pcn + f.uom;
  if (!/^[A-Z][A-Z0-9]{3}$/.test(f.lic) || !/^[A-Z0-9]{1,18}$/.test(f.pcn) || !/^\d$/.test(f.uom)) {
    throw new LoomError('udi.syntax', `HIBC primary "${primary}" needs LIC (4, first alphabetic), PCN (1-18 alphanumeric), UoM (digit)`, { location: 'primary' });
  }
  return primary;
}

/**
 * Builds one HIBC LIC string (primary and secondary combined with "/") with its check character.
 * @example formatHibcc({ lic: 'A123', pcn: 'BJC5D6E7', uom: '1' }) // '+A123BJC5D6E71' + check
 */
export function formatHibcc(fields: HibccFields): string {
  const secondary = hibcSecondary(fields);
  const body = `+${hibcPrimary(fields)}${secondary === undefined ? '' : `/${secondary}`}`;
  return body + hibcCheckCharacter(body);
}

/**
 * Builds a primary and a separate secondary label; the secondary's link character is the
 * primary's check character.
 * @example formatHibccPair({ lic: 'A123', pcn: 'X1', uom: '0', lot: 'L1' }) // ['+A123X10?', '+$L1??']
 */
export function formatHibccPair(fields: HibccFields): [string, string] {
  const p = `+${hibcPrimary(fields)}`;
  const primary = p + hibcCheckCharacter(p);
  const secondary = hibcSecondary(fields);
  if (secondary === undefined) throw new LoomError('udi.syntax', 'a separate secondary needs lot, serial, expiry or quantity', { location: 'secondary' });
  const s = `+${secondary}${primary.at(-1) ?? ''}`;
  return [primary, s + hibcCheckCharacter(s)];
}
