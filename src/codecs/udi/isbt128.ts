import { LoomError } from '../../kernel/errors.js';
import { checkHour, checkMinuteOrSecond, fromJulian } from './dates.js';
import type { Udi } from './types.js';

/**
 * ISBT 128 (ICCBBA) data structures supported, by data identifier (ISBT 128 Standard Technical
 * Specification, chapter 2). Each entry: name, content length, and its regular expression.
 * Not supported: blood groups (=%), donor/special testing (&(, {), container data (=), &)),
 * MPHO lot/supplemental (&,1 &,2), compound messages (=+) and the keyboard entry check (K).
 */
const STRUCTURES: [prefix: string, name: string, length: number, pattern: RegExp][] = [
  ['=<', 'productCode', 8, /^[A-Z]\d{4}[A-Z0-9][A-Z0-9]{2}$/], // DS 003: alpha+4 digits, type, divisions
  ['=>', 'expiry', 6, /^\d{6}$/], // DS 004: cyyjjj
  ['&>', 'expiryTime', 10, /^\d{10}$/], // DS 005: cyyjjjhhmm
  ['=*', 'collected', 6, /^\d{6}$/], // DS 006: cyyjjj
  ['=}', 'manufactured', 6, /^\d{6}$/], // DS 008: production date cyyjjj
  ['&}', 'manufacturedTime', 10, /^\d{10}$/], // DS 009: production date and time
];
// DS 001 donation identification number: facility (5) + year (2) + sequence (6) + flags (2)
const DIN = /^=([A-NP-Z1-9][A-Z0-9]{4}\d{8}[A-Z0-9*]{2})/;

function syntax(message: string, location: string, hint?: string): LoomError {
  return new LoomError('udi.syntax', message, { location, hint });
}

/** ISBT 128 dates: cyy = last three digits of the year, jjj = day of year. */
function isbtDate(raw: string, location: string): string {
  const iso = fromJulian(2000 + Number(raw.slice(0, 3)), Number(raw.slice(3, 6)), raw, location);
  if (raw.length === 10) {
    checkHour(raw.slice(6, 8), location);
    checkMinuteOrSecond(raw.slice(8, 10), location, 'minute');
  }
  return iso;
}

/**
 * Parses concatenated ISBT 128 data structures (`=<E0398V00=>025123`).
 * `di` is the product code (DS 003), `serial` the donation identification number (DS 001).
 */
export function parseIsbt128(input: string): Udi {
  const ais: Record<string, string> = {};
  let pos = 0;
  while (pos < input.length) {
    const at = `character ${pos + 1}`;
    const rest = input.slice(pos);
    const hit = STRUCTURES.find(([prefix]) => rest.startsWith(prefix));
    if (hit) {
      const [prefix, name, len, pattern] = hit;
      const value = rest.slice(prefix.length, prefix.length + len);
      if (!pattern.test(value)) throw syntax(`ISBT 128 ${prefix} (${name}) needs ${len} characters of the right form, found "${value}"`, at);
      if (name !== 'productCode') isbtDate(value, `ISBT 128 ${prefix}`);
      ais[name] = value;
      pos += prefix.length + len;
      continue;
    }
    const din = DIN.exec(rest);
    if (din?.[1]) {
      ais.din = din[1];
      pos += din[0].length;
      continue;
    }
    throw syntax(`unsupported or malformed ISBT 128 data identifier "${rest.slice(0, 2)}"`, at,
      'supported: =<product code, =DIN, => &> expiry, =} &} production date, =* collection date');
  }
  if (ais.productCode === undefined && ais.din === undefined) throw syntax('no ISBT 128 product code or DIN found', 'character 1');
  const udi: Udi = { issuer: 'ICCBBA', di: ais.productCode ?? '', ais };
  if (ais.din !== undefined) udi.serial = ais.din;
  const exp = ais.expiryTime ?? ais.expiry;
  if (exp !== undefined) udi.expiry = isbtDate(exp, 'expiry');
  const made = ais.manufacturedTime ?? ais.manufactured;
  if (made !== undefined) udi.manufactured = isbtDate(made, 'manufactured');
  return udi;
}
