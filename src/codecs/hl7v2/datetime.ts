import { LoomError } from '../../kernel/errors.js';

const DTM_RE = /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?)?)?)?)?([+-]\d{4})?$/;

/**
 * Convert an HL7 TS/DTM value (`YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`) to ISO 8601,
 * keeping the precision and the offset it states. Empty or explicit null gives undefined; a TS's
 * second component (degree of precision) is ignored.
 *
 * @example
 * hl7DateTimeToIso('20050110045504+0700') // '2005-01-10T04:55:04+07:00'
 * hl7DateTimeToIso('20240301')            // '2024-03-01'
 */
export function hl7DateTimeToIso(value: string): string | undefined {
  const v = value.split('^')[0].trim();
  if (v === '' || v === '""') return undefined;
  const m = DTM_RE.exec(v);
  const bad = (why: string): LoomError => new LoomError('hl7.datetime.invalid', `"${value}" is not an HL7 date/time: ${why}`, {
    hint: 'write YYYYMMDDHHMMSS[.SSSS][+/-ZZZZ], e.g. 20240301123000-0500',
  });
  if (m === null) throw bad('it does not follow YYYYMMDDHHMMSS[.S][+/-ZZZZ]');
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) throw bad('month out of range');
  if (d !== undefined && (Number(d) < 1 || Number(d) > daysIn(Number(y), Number(mo)))) throw bad('day out of range');
  if (h !== undefined && Number(h) > 23) throw bad('hour out of range');
  if (mi !== undefined && Number(mi) > 59) throw bad('minute out of range');
  if (s !== undefined && Number(s) > 59) throw bad('second out of range');
  let iso = y;
  if (mo !== undefined) iso += `-${mo}`;
  if (d !== undefined) iso += `-${d}`;
  if (h !== undefined) iso += `T${h}:${mi ?? '00'}`;
  if (s !== undefined) iso += `:${s}`;
  if (frac !== undefined) iso += `.${frac}`;
  if (tz !== undefined) {
    if (Number(tz.slice(3)) > 59 || Number(tz.slice(1, 3)) > 14) throw bad('offset out of range');
    // an offset only means something on a time of day; on a date alone it is dropped
    if (h !== undefined) iso += tz === '+0000' || tz === '-0000' ? 'Z' : `${tz.slice(0, 3)}:${tz.slice(3)}`;
  }
  return iso;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Format an ISO 8601 instant as HL7 DTM `YYYYMMDDHHMMSS+ZZZZ`, keeping the offset the ISO text states.
 *
 * @example
 * isoToHl7DateTime('2024-03-01T12:30:00-05:00') // '20240301123000-0500'
 */
export function isoToHl7DateTime(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso);
  if (m === null) {
    throw new LoomError('hl7.datetime.invalid', `"${iso}" is not an ISO 8601 date-time`, { hint: 'e.g. 2024-03-01T12:30:00Z' });
  }
  const [, y, mo, d, h, mi, s, tz] = m;
  const offset = tz === undefined ? '' : tz === 'Z' ? '+0000' : tz.replace(':', '');
  return `${y}${mo}${d}${h}${mi}${s ?? '00'}${offset}`;
}
