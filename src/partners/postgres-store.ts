import type pg from 'pg';
import type { X12Interchange } from '../codecs/x12/index.js';
import type { LoomError } from '../kernel/index.js';
import { openPgPool, type PgLocation, type PgPool } from '../store/postgres/index.js';
import { ackedGroups, ackedOutcome, fromRow, overdueEntry, unexpectedAck, type AckOutcome, type ExpectedAck, type ExpectedAckRow } from './acks.js';
import {
  checkNotExhausted, checkSets, duplicateIssue, format, gapIssue, inboundNumbers, type AssignmentRow, type InboundCheck, type OutboundControlNumbers,
} from './control-numbers.js';
import type { NewExpectedAck, PartnerStore } from './store.js';

/**
 * Open the PostgreSQL PartnerStore (tables of `005_trading_partners.sql`) on the message store's URL and schema.
 *
 * @example const store = await openPostgresPartnerStore({ url: 'postgres://loom@db/loom', schema: 'loom' });
 */
export async function openPostgresPartnerStore(location: PgLocation): Promise<PostgresPartnerStore> {
  return new PostgresPartnerStore(await openPgPool(location, 'partner store'));
}

/** Serialize every writer of one partner's numbers, on any node, until its transaction ends. */
const lockPartner = (c: pg.PoolClient, partner: string): Promise<unknown> =>
  c.query("SELECT pg_advisory_xact_lock(hashtext('loom.x12'), hashtext($1))", [partner]);

/** PostgreSQL adapter of the PartnerStore port: the same rules as SQLite, shared by every node. */
export class PostgresPartnerStore implements PartnerStore {
  readonly kind = 'postgres';

  constructor(private readonly db: PgPool) {}

  reserveOutbound(partner: string, start: number, sets: number, messageKey: string | undefined, now: number): Promise<OutboundControlNumbers> {
    checkSets(sets);
    return this.db.tx('reserveOutbound', async (c) => {
      await lockPartner(c, partner);
      if (messageKey !== undefined) {
        const prior = (await c.query<AssignmentRow>('SELECT isa13, gs06, st02_first, sets FROM x12_outbound_assignments WHERE partner = $1 AND message_key = $2', [partner, messageKey])).rows[0];
        if (prior && prior.sets === sets) return format(partner, prior, true);
      }
      const cur = (await c.query<{ isa13: number; gs06: number; st02: number }>('SELECT isa13, gs06, st02 FROM x12_outbound_counters WHERE partner = $1', [partner])).rows[0];
      const last = cur ?? { isa13: start - 1, gs06: start - 1, st02: start - 1 };
      const next = { isa13: last.isa13 + 1, gs06: last.gs06 + 1, st02: last.st02 + sets };
      checkNotExhausted(partner, next);
      await c.query(`INSERT INTO x12_outbound_counters (partner, isa13, gs06, st02, updated_at) VALUES ($1,$2,$3,$4,$5)
        ON CONFLICT (partner) DO UPDATE SET isa13 = excluded.isa13, gs06 = excluded.gs06, st02 = excluded.st02, updated_at = excluded.updated_at`,
      [partner, next.isa13, next.gs06, next.st02, now]);
      const row: AssignmentRow = { isa13: next.isa13, gs06: next.gs06, st02_first: last.st02 + 1, sets };
      if (messageKey !== undefined) {
        await c.query(`INSERT INTO x12_outbound_assignments (partner, message_key, isa13, gs06, st02_first, sets, assigned_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
          ON CONFLICT (partner, message_key) DO UPDATE SET isa13 = excluded.isa13, gs06 = excluded.gs06, st02_first = excluded.st02_first, sets = excluded.sets, assigned_at = excluded.assigned_at`,
        [partner, messageKey, row.isa13, row.gs06, row.st02_first, row.sets, now]);
      }
      return format(partner, row, false);
    });
  }

  recordInbound(partner: string, isa13: string, gs06s: string[], messageKey: string | undefined, now: number): Promise<InboundCheck> {
    const numbers = inboundNumbers(isa13, gs06s);
    return this.db.tx('recordInbound', async (c) => {
      await lockPartner(c, partner);
      const seen = async (kind: string, n: number) =>
        (await c.query<{ message_key: string | null }>('SELECT message_key FROM x12_inbound_controls WHERE partner = $1 AND kind = $2 AND number = $3', [partner, kind, n])).rows[0];
      const first = await seen('isa', numbers[0].n);
      if (first && messageKey !== undefined && first.message_key === messageKey) return { partner, isa13, gs06s, issues: [], repeat: true };
      const issues = [];
      for (const number of numbers) {
        if (await seen(number.kind, number.n)) {
          issues.push(duplicateIssue(partner, number));
          continue;
        }
        const max = (await c.query<{ m: number | null }>('SELECT MAX(number) AS m FROM x12_inbound_controls WHERE partner = $1 AND kind = $2', [partner, number.kind])).rows[0].m;
        const gap = gapIssue(partner, number, max);
        if (gap) issues.push(gap);
        await c.query('INSERT INTO x12_inbound_controls (partner, kind, number, message_key, received_at) VALUES ($1,$2,$3,$4,$5)', [partner, number.kind, number.n, messageKey ?? null, now]);
      }
      return { partner, isa13, gs06s, issues, repeat: false };
    });
  }

  insertExpectedAck(e: NewExpectedAck): Promise<ExpectedAck> {
    return this.db.tx('insertExpectedAck', async (c) => {
      await c.query(`INSERT INTO x12_expected_acks (partner, gs06, isa13, ack_kind, sent_at, due_at, status) VALUES ($1,$2,$3,$4,$5,$6,'pending')
        ON CONFLICT (partner, gs06) DO NOTHING`, [e.partner, Number(e.gs06), Number(e.isa13), e.ackKind, e.sentAt, e.dueAt]);
      return fromRow((await c.query<ExpectedAckRow>('SELECT * FROM x12_expected_acks WHERE partner = $1 AND gs06 = $2', [e.partner, Number(e.gs06)])).rows[0]);
    });
  }

  getExpectedAck(partner: string, gs06: string): Promise<ExpectedAck | undefined> {
    return this.db.read('getExpectedAck', async (p) => {
      const r = (await p.query<ExpectedAckRow>('SELECT * FROM x12_expected_acks WHERE partner = $1 AND gs06 = $2', [partner, Number(gs06)])).rows[0];
      return r ? fromRow(r) : undefined;
    });
  }

  applyAck(partner: string, ack: X12Interchange, now: number): Promise<AckOutcome[]> {
    const groups = ackedGroups(partner, ack);
    return this.db.tx('applyAck', async (c) => {
      const outcomes: AckOutcome[] = [];
      for (const g of groups) {
        if ('issue' in g) {
          outcomes.push(g);
          continue;
        }
        const r = (await c.query<ExpectedAckRow>('UPDATE x12_expected_acks SET status = $1, ak9 = $2, ack_isa13 = $3, acked_at = $4 WHERE partner = $5 AND gs06 = $6 RETURNING *',
          [g.status, g.ak9, ack.controlNumber, now, partner, Number(g.gs06)])).rows[0];
        outcomes.push(r ? ackedOutcome(g, fromRow(r)) : unexpectedAck(g));
      }
      return outcomes;
    });
  }

  listOverdue(now: number): Promise<Array<{ expected: ExpectedAck; error: LoomError }>> {
    return this.db.read('listOverdue', async (p) =>
      (await p.query<ExpectedAckRow>("SELECT * FROM x12_expected_acks WHERE status = 'pending' AND due_at < $1 ORDER BY due_at", [now])).rows.map((r) => overdueEntry(r, now)));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
