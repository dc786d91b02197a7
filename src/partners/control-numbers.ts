import type Database from 'better-sqlite3';
import { LoomError } from '../kernel/index.js';

/** ISA13 is N0 9/9: the last number there is. */
export const MAX_CONTROL_NUMBER = 999_999_999;

/** Numbers for one outgoing interchange: ISA13 (9 digits), GS06, and ST02 of the first set. */
export interface OutboundControlNumbers {
  partner: string;
  /** ISA13 / IEA02 as the 9-digit text. */
  isa13: string;
  /** GS06 / GE02. */
  gs06: string;
  /** ST02 / SE02 of each set, 4 digits or more, in order. */
  st02: string[];
  /** True when these were assigned earlier to the same message key (crash re-run or resend). */
  reused: boolean;
}

interface CounterRow { isa13: number; gs06: number; st02: number }
/** An assignment row as both stores keep it. */
export interface AssignmentRow { isa13: number; gs06: number; st02_first: number; sets: number }

/** The numbers of an assignment as the interchange carries them. */
export function format(partner: string, a: AssignmentRow, reused: boolean): OutboundControlNumbers {
  return {
    partner, isa13: String(a.isa13).padStart(9, '0'), gs06: String(a.gs06),
    st02: Array.from({ length: a.sets }, (_, k) => String(a.st02_first + k).padStart(4, '0')), reused,
  };
}

/**
 * Reserve the next ISA13/GS06/ST02 numbers for a partner in one IMMEDIATE transaction that
 * commits before returning: strictly increasing across restarts and processes, never reused.
 * With `messageKey`, the same key gets the same numbers again.
 */
export function reserveOutbound(db: Database.Database, partner: string, start: number, sets: number, messageKey: string | undefined, now: number): OutboundControlNumbers {
  checkSets(sets);
  const run = db.transaction((): OutboundControlNumbers => {
    if (messageKey !== undefined) {
      const prior = db.prepare('SELECT isa13, gs06, st02_first, sets FROM x12_outbound_assignments WHERE partner = ? AND message_key = ?').get(partner, messageKey) as AssignmentRow | undefined;
      if (prior && prior.sets === sets) return format(partner, prior, true);
    }
    const cur = db.prepare('SELECT isa13, gs06, st02 FROM x12_outbound_counters WHERE partner = ?').get(partner) as CounterRow | undefined;
    const last = cur ?? { isa13: start - 1, gs06: start - 1, st02: start - 1 };
    const next = { isa13: last.isa13 + 1, gs06: last.gs06 + 1, st02: last.st02 + sets };
    checkNotExhausted(partner, next);
    db.prepare(`INSERT INTO x12_outbound_counters (partner, isa13, gs06, st02, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (partner) DO UPDATE SET isa13 = excluded.isa13, gs06 = excluded.gs06, st02 = excluded.st02, updated_at = excluded.updated_at`)
      .run(partner, next.isa13, next.gs06, next.st02, now);
    const row: AssignmentRow = { isa13: next.isa13, gs06: next.gs06, st02_first: last.st02 + 1, sets };
    if (messageKey !== undefined) {
      db.prepare(`INSERT INTO x12_outbound_assignments (partner, message_key, isa13, gs06, st02_first, sets, assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (partner, message_key) DO UPDATE SET isa13 = excluded.isa13, gs06 = excluded.gs06, st02_first = excluded.st02_first, sets = excluded.sets, assigned_at = excluded.assigned_at`)
        .run(partner, messageKey, row.isa13, row.gs06, row.st02_first, row.sets, now);
    }
    return format(partner, row, false);
  });
  // IMMEDIATE takes the write lock first, so two processes cannot read the same counter.
  return run.immediate();
}

/** `x12.control.sets` unless `sets` is a whole number of at least 1. */
export function checkSets(sets: number): void {
  if (!Number.isInteger(sets) || sets < 1) throw new LoomError('x12.control.sets', `an interchange needs at least one transaction set, got ${sets}`);
}

/** `x12.control.exhausted` when a next number would not fit ISA13 (N0 9/9). */
export function checkNotExhausted(partner: string, next: { isa13: number; gs06: number; st02: number }): void {
  if (next.isa13 > MAX_CONTROL_NUMBER || next.gs06 > MAX_CONTROL_NUMBER || next.st02 > MAX_CONTROL_NUMBER) {
    throw new LoomError('x12.control.exhausted', `control numbers for partner ${partner} reached ${MAX_CONTROL_NUMBER}`, {
      location: 'ISA13', hint: 'agree a restart with the partner, then reset x12_outbound_counters for it',
    });
  }
}

/** What an inbound interchange's control numbers say about the partner's sequence. */
export interface InboundCheck {
  partner: string;
  isa13: string;
  gs06s: string[];
  /** `x12.control.gap` (a number was skipped) and `x12.control.duplicate` (a number came again). */
  issues: LoomError[];
  /** True when the same message key recorded these numbers before (crash re-run or replay). */
  repeat: boolean;
}

function toNumber(value: string, location: string): number {
  const n = Number(value.trim());
  if (!/^\d{1,9}$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new LoomError('x12.control.invalid', `${location} "${value}" is not a control number of 1 to 9 digits`, { location, hint: 'the sender must put digits in ISA13 / GS06' });
  }
  return n;
}

/**
 * Record the ISA13 and GS06 numbers of a received interchange and report gaps (the previous
 * highest number + 1 was skipped) and duplicates (the number was seen before). A number below the
 * highest that was not seen fills an earlier gap and is fine (interchanges overtake each other).
 */
export function recordInboundNumbers(db: Database.Database, partner: string, isa13: string, gs06s: string[], messageKey: string | undefined, now: number): InboundCheck {
  const numbers = inboundNumbers(isa13, gs06s);
  const run = db.transaction((): InboundCheck => {
    const seen = db.prepare('SELECT message_key FROM x12_inbound_controls WHERE partner = ? AND kind = ? AND number = ?');
    const max = db.prepare('SELECT MAX(number) AS m FROM x12_inbound_controls WHERE partner = ? AND kind = ?');
    const insert = db.prepare('INSERT INTO x12_inbound_controls (partner, kind, number, message_key, received_at) VALUES (?, ?, ?, ?, ?)');
    const issues: LoomError[] = [];
    const first = seen.get(partner, 'isa', numbers[0].n) as { message_key: string | null } | undefined;
    if (first && messageKey !== undefined && first.message_key === messageKey) {
      return { partner, isa13, gs06s, issues, repeat: true };
    }
    for (const number of numbers) {
      const { kind, n } = number;
      if (seen.get(partner, kind, n)) {
        issues.push(duplicateIssue(partner, number));
        continue;
      }
      const gap = gapIssue(partner, number, (max.get(partner, kind) as { m: number | null }).m);
      if (gap) issues.push(gap);
      insert.run(partner, kind, n, messageKey ?? null, now);
    }
    return { partner, isa13, gs06s, issues, repeat: false };
  });
  return run.immediate();
}

/** One received control number: ISA13 (`isa`) or a GS06 (`gs`), with where it sits. */
export interface InboundNumber { kind: 'isa' | 'gs'; n: number; raw: string; location: string }

/** ISA13 and the GS06s of an interchange as numbers; `x12.control.invalid` when one is not 1-9 digits. */
export function inboundNumbers(isa13: string, gs06s: string[]): InboundNumber[] {
  return [
    { kind: 'isa', n: toNumber(isa13, 'ISA13'), raw: isa13, location: 'ISA13' },
    ...gs06s.map((g, i) => ({ kind: 'gs' as const, n: toNumber(g, `GS06 (group ${i + 1})`), raw: g, location: `GS06 (group ${i + 1})` })),
  ];
}

/** `x12.control.duplicate`: the partner sent a number seen before. */
export function duplicateIssue(partner: string, { kind, raw, location }: InboundNumber): LoomError {
  return new LoomError('x12.control.duplicate', `partner ${partner} sent ${kind === 'isa' ? 'interchange' : 'group'} control number ${raw} again`, {
    location, hint: 'a resend of an interchange already processed: confirm with the partner, then discard or replay as new',
  });
}

/** `x12.control.gap` when `n` skips numbers after the highest seen (`max`), else undefined. */
export function gapIssue(partner: string, { kind, n, raw, location }: InboundNumber, max: number | null): LoomError | undefined {
  if (max === null || n <= max + 1) return undefined;
  const label = kind === 'isa' ? 'interchange' : 'group';
  const missing = n - max - 1 === 1 ? String(max + 1) : `${max + 1}..${n - 1}`;
  return new LoomError('x12.control.gap', `partner ${partner} ${label} control number ${raw} skips ${missing} (last was ${max})`, {
    location, hint: `ask the partner for ${label} ${missing} or confirm it was never sent`,
  });
}
