import type Database from 'better-sqlite3';
import type { X12Interchange } from '../codecs/x12/index.js';
import { LoomError } from '../kernel/index.js';

/** AK9-01 functional group acknowledge code → our status. */
const AK9_STATUS: Record<string, AckStatus> = { A: 'accepted', E: 'accepted-with-errors', P: 'partial', R: 'rejected', M: 'rejected', W: 'rejected', X: 'rejected' };

export type AckStatus = 'pending' | 'accepted' | 'accepted-with-errors' | 'partial' | 'rejected';

/** An interchange we sent and the acknowledgement we expect (or got) for its group. */
export interface ExpectedAck {
  partner: string;
  isa13: string;
  gs06: string;
  ackKind: '997' | '999';
  sentAt: number;
  dueAt: number;
  status: AckStatus;
  /** AK9-01 as received. */
  ak9?: string;
  /** ISA13 of the acknowledgement interchange. */
  ackIsa13?: string;
  ackedAt?: number;
}

/** An expected-ack row as both stores keep it. */
export interface ExpectedAckRow {
  partner: string; gs06: number; isa13: number; ack_kind: '997' | '999'; sent_at: number; due_at: number;
  status: AckStatus; ak9: string | null; ack_isa13: string | null; acked_at: number | null;
}

export function fromRow(r: ExpectedAckRow): ExpectedAck {
  return {
    partner: r.partner, isa13: String(r.isa13).padStart(9, '0'), gs06: String(r.gs06), ackKind: r.ack_kind, sentAt: r.sent_at, dueAt: r.due_at, status: r.status,
    ...(r.ak9 ? { ak9: r.ak9 } : {}), ...(r.ack_isa13 ? { ackIsa13: r.ack_isa13 } : {}), ...(r.acked_at !== null ? { ackedAt: r.acked_at } : {}),
  };
}

/** Register an expected acknowledgement; registering the same (partner, GS06) again keeps the first. */
export function insertExpectedAck(db: Database.Database, e: { partner: string; isa13: string; gs06: string; ackKind: '997' | '999'; sentAt: number; dueAt: number }): ExpectedAck {
  db.prepare(`INSERT INTO x12_expected_acks (partner, gs06, isa13, ack_kind, sent_at, due_at, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')
    ON CONFLICT (partner, gs06) DO NOTHING`).run(e.partner, Number(e.gs06), Number(e.isa13), e.ackKind, e.sentAt, e.dueAt);
  return getExpectedAck(db, e.partner, e.gs06) as ExpectedAck;
}

/** The expected acknowledgement of one of our groups, if registered. */
export function getExpectedAck(db: Database.Database, partner: string, gs06: string): ExpectedAck | undefined {
  const row = db.prepare('SELECT * FROM x12_expected_acks WHERE partner = ? AND gs06 = ?').get(partner, Number(gs06)) as ExpectedAckRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** One AK1 group answered in a received 997/999. */
export interface AckOutcome {
  partner: string;
  /** AK1-02: the GS06 of our group. */
  gs06: string;
  /** AK9-01. */
  ak9: string;
  status: AckStatus;
  /** The interchange it acknowledged, when we expected this ack. */
  acknowledged?: ExpectedAck;
  /** `x12.ack.unexpected` when no sent group matches AK1-02. */
  issue?: LoomError;
}

/**
 * Match every 997/999 set in `ack` (AK1-02 group control number) to the groups we sent and mark
 * them with AK9-01. A repeated ack updates the status (the later one wins).
 */
export function applyAck(db: Database.Database, partner: string, ack: X12Interchange, now: number): AckOutcome[] {
  const outcomes: AckOutcome[] = [];
  const update = db.prepare('UPDATE x12_expected_acks SET status = ?, ak9 = ?, ack_isa13 = ?, acked_at = ? WHERE partner = ? AND gs06 = ?');
  db.transaction(() => {
    for (const group of ackedGroups(partner, ack)) {
      if ('issue' in group) {
        outcomes.push(group);
        continue;
      }
      const res = update.run(group.status, group.ak9, ack.controlNumber, now, partner, Number(group.gs06));
      outcomes.push(res.changes === 0 ? unexpectedAck(group) : ackedOutcome(group, getExpectedAck(db, partner, group.gs06) as ExpectedAck));
    }
  }).immediate();
  return outcomes;
}

/** One group a 997/999 answers, read from AK1-02 and AK9-01 (pure). */
export interface AckedGroup { partner: string; gs06: string; ak9: string; status: AckStatus; setType: string }

/**
 * The groups every 997/999 set of `ack` answers (AK1-02) with AK9-01 mapped to a status; a set
 * without a usable AK1-02 comes back as an outcome carrying `x12.ack.invalid`.
 */
export function ackedGroups(partner: string, ack: X12Interchange): Array<AckedGroup | AckOutcome & { issue: LoomError }> {
  const out: Array<AckedGroup | AckOutcome & { issue: LoomError }> = [];
  for (const group of ack.groups) {
    for (const set of group.sets) {
      if (set.type !== '997' && set.type !== '999') continue;
      // AK1-01 functional id, AK1-02 group control number; AK9-01 the group's acknowledge code.
      const ak1 = set.segments.find((s) => s.id === 'AK1');
      const ak9 = set.segments.find((s) => s.id === 'AK9');
      const gs06 = ak1?.elements[1]?.trim();
      if (!gs06 || !/^\d{1,9}$/.test(gs06)) {
        out.push({ partner, gs06: gs06 ?? '', ak9: '', status: 'rejected', issue: new LoomError('x12.ack.invalid', `${set.type} ${set.controlNumber} from ${partner} has no usable AK1-02`, { location: `ST02 ${set.controlNumber} AK102`, hint: 'AK1-02 must carry the acknowledged GS06' }) });
        continue;
      }
      const code = ak9?.elements[0]?.trim() ?? '';
      out.push({ partner, gs06, ak9: code, status: AK9_STATUS[code] ?? 'rejected', setType: set.type });
    }
  }
  return out;
}

/** The outcome of an ack that matched a group we sent. */
export function ackedOutcome(g: AckedGroup, acknowledged: ExpectedAck): AckOutcome {
  return { partner: g.partner, gs06: g.gs06, ak9: g.ak9, status: g.status, acknowledged };
}

/** The outcome of an ack for a group we have no record of sending (`x12.ack.unexpected`). */
export function unexpectedAck(g: AckedGroup): AckOutcome {
  return { partner: g.partner, gs06: g.gs06, ak9: g.ak9, status: g.status, issue: new LoomError('x12.ack.unexpected', `${g.setType} from ${g.partner} acknowledges group ${g.gs06}, which we have no record of sending`, { location: 'AK102', hint: 'check the partner profile and whether the group was sent by another system' }) };
}

/**
 * Groups still pending after their due time, as `x12.ack.overdue` LoomErrors for alerting.
 */
export function listOverdue(db: Database.Database, now: number): Array<{ expected: ExpectedAck; error: LoomError }> {
  const rows = db.prepare("SELECT * FROM x12_expected_acks WHERE status = 'pending' AND due_at < ? ORDER BY due_at").all(now) as ExpectedAckRow[];
  return rows.map((r) => overdueEntry(r, now));
}

/** A pending row past its due time as the `x12.ack.overdue` LoomError alerting shows. */
export function overdueEntry(r: ExpectedAckRow, now: number): { expected: ExpectedAck; error: LoomError } {
  const expected = fromRow(r);
  const late = Math.round((now - r.due_at) / 1000);
  return {
    expected,
    error: new LoomError('x12.ack.overdue', `partner ${r.partner} has not sent the ${r.ack_kind} for interchange ${expected.isa13} group ${r.gs06} (due ${new Date(r.due_at).toISOString()}, ${late}s late)`, {
      location: `ISA13 ${expected.isa13} GS06 ${r.gs06}`, hint: 'ask the partner whether the interchange arrived; resend it with its original control numbers if not',
    }),
  };
}
