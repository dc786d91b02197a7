import { LoomError } from '../../kernel/errors.js';
import { parseX12 } from './parse.js';
import type { X12Interchange } from './types.js';

/** Who, when and with which numbers an interchange is sent; everything a reproducible build needs. */
export interface X12EnvelopeOptions {
  /** ISA06 / GS02 (GS02 may differ: `applicationSenderId`). */
  senderId: string;
  /** ISA08 / GS03. */
  receiverId: string;
  /** ISA05 / ISA07, default `ZZ` (mutually defined). */
  senderQualifier?: string;
  receiverQualifier?: string;
  applicationSenderId?: string;
  applicationReceiverId?: string;
  /** ISA13, padded to 9 digits. */
  controlNumber: number | string;
  /** GS06, default the ISA13 number unpadded. */
  groupControlNumber?: number | string;
  /** ST02 of the first set, default `0001`; further sets count up. */
  setControlNumber?: number | string;
  /** ISO 8601 instant for ISA09/ISA10 and GS04/GS05. */
  timestamp: string;
  /** Default 004010; 005010 sets ISA11 to the repetition separator and ISA12 to 00501. */
  version?: '004010' | '005010';
  /** GS08 when a guide suffix is wanted, e.g. `004010VICS`; default `version`. */
  versionCode?: string;
  /** ISA15: P production (default) or T test. */
  usage?: 'P' | 'T';
  /** Delimiters: element `*`, component `>` (`:` in 005010), repetition `^`, terminator `~`. */
  element?: string;
  component?: string;
  repetition?: string;
  segment?: string;
  /** Write a newline after each terminator (default false). */
  lineBreaks?: boolean;
}

/** A transaction set body: segments after ST and before SE, each `[id, ...elements]`. */
export interface X12SetBody {
  type: string;
  segments: string[][];
  /** ST03 implementation reference (005010 guides), e.g. `005010X231A1`. */
  implementationReference?: string;
}

function stamp(timestamp: string): { yymmdd: string; ccyymmdd: string; hhmm: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(timestamp);
  if (!m) throw new LoomError('x12.build.timestamp', `timestamp "${timestamp}" is not ISO 8601`, { hint: 'use e.g. 2026-01-31T14:05:00Z' });
  return { yymmdd: `${m[1].slice(2)}${m[2]}${m[3]}`, ccyymmdd: `${m[1]}${m[2]}${m[3]}`, hhmm: `${m[4]}${m[5]}` };
}

/**
 * Wrap sets into a complete ISA/GS/ST..SE/GE/IEA interchange with correct counts and control
 * numbers, checking that no value contains a delimiter.
 *
 * @example
 * buildX12Interchange('PO', [{ type: '850', segments: [['BEG', '00', 'SA', 'PO1', '', '20260101']] }], env);
 */
export function buildX12Interchange(functionalId: string, sets: X12SetBody[], env: X12EnvelopeOptions): X12Interchange {
  const version = env.version ?? '004010';
  const el = env.element ?? '*';
  const comp = env.component ?? (version === '005010' ? ':' : '>');
  const rep = env.repetition ?? '^';
  const term = env.segment ?? '~';
  const after = term + (env.lineBreaks ? '\n' : '');
  const delims = version === '005010' ? [el, comp, rep, term] : [el, comp, term];
  const t = stamp(env.timestamp);
  const isa13 = String(env.controlNumber).padStart(9, '0');
  if (!/^\d{9}$/.test(isa13)) throw new LoomError('x12.build.control-number', `ISA13 "${env.controlNumber}" is not a number of up to 9 digits`, { location: 'ISA13' });
  const gs06 = String(env.groupControlNumber ?? Number(isa13));
  const out: string[] = [];
  const put = (raw: string[], where: string): void => {
    const seg = trimTrailing(raw);
    seg.forEach((v, i) => {
      if (i > 0 && delims.some((d) => v.includes(d))) {
        throw new LoomError('x12.build.delimiter', `${where} ${seg[0]}${String(i).padStart(2, '0')} "${v}" contains a delimiter`, {
          location: `${seg[0]}${String(i).padStart(2, '0')}`, hint: 'remove the character or choose other delimiters',
        });
      }
    });
    out.push(seg.join(el) + after);
  };
  out.push(['ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), env.senderQualifier ?? 'ZZ', env.senderId.padEnd(15), env.receiverQualifier ?? 'ZZ',
    env.receiverId.padEnd(15), t.yymmdd, t.hhmm, version === '005010' ? rep : 'U', version === '005010' ? '00501' : '00401', isa13, '0',
    env.usage ?? 'P', comp].join(el) + after);
  put(['GS', functionalId, env.applicationSenderId ?? env.senderId, env.applicationReceiverId ?? env.receiverId, t.ccyymmdd, t.hhmm, gs06, 'X',
    env.versionCode ?? version], 'GS');
  const firstSt = Number(env.setControlNumber ?? 1);
  sets.forEach((set, k) => {
    const st02 = String(firstSt + k).padStart(4, '0');
    put(set.implementationReference ? ['ST', set.type, st02, set.implementationReference] : ['ST', set.type, st02], `set ${k + 1}`);
    for (const seg of set.segments) put(seg, `set ${k + 1}`);
    put(['SE', String(set.segments.length + 2), st02], `set ${k + 1}`);
  });
  put(['GE', String(sets.length), gs06], 'GE');
  put(['IEA', '1', isa13], 'IEA');
  return parseX12(out.join(''));
}

/** `YYYYMMDD` from an ISO date or date-time (or a value already in that form). */
export function x12Date(value: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(value);
  if (!m) throw new LoomError('x12.build.date', `date "${value}" is neither ISO 8601 nor CCYYMMDD`, { hint: 'use 2026-01-31' });
  return `${m[1]}${m[2]}${m[3]}`;
}

/** Decimal text for an R (real) element: no exponent, no trailing zeros. */
export function x12Decimal(n: number): string {
  if (!Number.isFinite(n)) throw new LoomError('x12.build.number', `${n} is not a finite number`);
  return String(Number(n.toFixed(4)));
}

/** Drop trailing empty elements: a segment must not end in element separators. */
export function trimTrailing(seg: string[]): string[] {
  let end = seg.length;
  while (end > 1 && seg[end - 1] === '') end--;
  return seg.slice(0, end);
}
