import { LoomError } from '../../kernel/errors.js';

/**
 * GS1 General Specifications 7.12: a two-digit year YY resolves to the century that places it
 * within 49 years before or 50 years after the reference year.
 */
export function resolveCentury(yy: number, now: Date): number {
  const current = now.getUTCFullYear();
  const century = Math.floor(current / 100) * 100;
  const diff = yy - (current % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function invalid(value: string, location: string, why: string): LoomError {
  return new LoomError('udi.date.invalid', `${location} holds "${value}", which is not a valid date: ${why}`, {
    location,
    hint: 'dates are YYMMDD (GS1) or the HIBCC format named by the flag digit; check month and day',
  });
}

/**
 * Validates year/month/day and returns the ISO date. `dayZeroMeansLastDay` implements the GS1
 * rule for AIs 11-17 (`yymmd0`): day 00 means the last day of that month.
 */
export function checkedDate(
  year: number,
  month: number,
  day: number,
  raw: string,
  location: string,
  dayZeroMeansLastDay = false,
): string {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw invalid(raw, location, `month ${pad(month, 2)} is not 01-12`);
  const last = daysInMonth(year, month);
  if (day === 0 && dayZeroMeansLastDay) return isoDate(year, month, last);
  if (!Number.isInteger(day) || day < 1 || day > last) throw invalid(raw, location, `day ${pad(day, 2)} is not 01-${last}`);
  return isoDate(year, month, day);
}

/** `YYMMDD` with the GS1 century rule. */
export function parseYymmdd(raw: string, location: string, now: Date, dayZeroMeansLastDay: boolean): string {
  if (!/^\d{6}$/.test(raw)) throw invalid(raw, location, 'expected 6 digits YYMMDD');
  const year = resolveCentury(Number(raw.slice(0, 2)), now);
  return checkedDate(year, Number(raw.slice(2, 4)), Number(raw.slice(4, 6)), raw, location, dayZeroMeansLastDay);
}

/** Ordinal date: a full year plus day of year (001-366) to an ISO date. */
export function fromJulian(year: number, dayOfYear: number, raw: string, location: string): string {
  const leap = daysInMonth(year, 2) === 29;
  if (dayOfYear < 1 || dayOfYear > (leap ? 366 : 365)) throw invalid(raw, location, `day of year ${dayOfYear} is out of range`);
  const d = new Date(Date.UTC(year, 0, dayOfYear));
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function checkHour(raw: string, location: string): void {
  if (!/^\d{2}$/.test(raw) || Number(raw) > 23) throw invalid(raw, location, `hour ${raw} is not 00-23`);
}

export function checkMinuteOrSecond(raw: string, location: string, what: string): void {
  if (!/^\d{2}$/.test(raw) || Number(raw) > 59) throw invalid(raw, location, `${what} ${raw} is not 00-59`);
}
