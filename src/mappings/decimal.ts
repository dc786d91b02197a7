import { LoomError } from '../kernel/errors.js';

// Decimal arithmetic on strings through scaled bigints: money never touches a float.
const SCALE = 6;
const DEC_RE = /^-?\d+(\.\d+)?$/;

function toScaled(d: string): bigint {
  if (!DEC_RE.test(d)) throw new LoomError('mapping.decimal.invalid', `"${d}" is not a decimal number`, { hint: 'write digits with an optional dot, e.g. 12.50' });
  const neg = d.startsWith('-');
  const [i, f = ''] = (neg ? d.slice(1) : d).split('.');
  if (f.length > SCALE) throw new LoomError('mapping.decimal.invalid', `"${d}" has more than ${SCALE} decimals`, { hint: 'round at the source' });
  const v = BigInt(i + f.padEnd(SCALE, '0'));
  return neg ? -v : v;
}

function fromScaled(v: bigint, places: number): string {
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(SCALE + 1, '0');
  const int = s.slice(0, s.length - SCALE);
  let frac = s.slice(s.length - SCALE).replace(/0+$/, '');
  if (frac.length < places) frac = frac.padEnd(places, '0');
  return (neg ? '-' : '') + int + (frac === '' ? '' : `.${frac}`);
}

/** Normalize HL7/CSV numeric text (`+2`, ` 10.50 `, `.5`) to a canonical decimal string; undefined if not numeric. */
export function normalizeDecimal(text: string): string | undefined {
  let t = text.trim();
  if (t.startsWith('+')) t = t.slice(1);
  if (t.startsWith('.')) t = `0${t}`;
  if (t.startsWith('-.')) t = `-0${t.slice(1)}`;
  return DEC_RE.test(t) ? t : undefined;
}

/** a + b, e.g. addDecimal('10.5', '0.25') === '10.75'. */
export function addDecimal(a: string, b: string, places = 0): string {
  return fromScaled(toScaled(a) + toScaled(b), places);
}

/** a × b with at most 6 decimals kept, e.g. mulDecimal('2', '50.125', 2) === '100.25'. */
export function mulDecimal(a: string, b: string, places = 0): string {
  const p = toScaled(a) * toScaled(b);
  const unit = 10n ** BigInt(SCALE);
  // round half away from zero at 6 places
  const q = p / unit;
  const r = p % unit;
  const twice = (r < 0n ? -r : r) * 2n;
  const rounded = twice >= unit ? q + (p < 0n ? -1n : 1n) : q;
  return fromScaled(rounded, places);
}

/** -a. */
export function negateDecimal(a: string): string {
  return fromScaled(-toScaled(a), 0);
}

/** Compare: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const x = toScaled(a), y = toScaled(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
