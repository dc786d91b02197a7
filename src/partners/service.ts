import { parseX12, type X12Interchange } from '../codecs/x12/index.js';
import { LoomError, systemClock, type Clock } from '../kernel/index.js';
import type { AckOutcome, ExpectedAck } from './acks.js';
import type { InboundCheck, OutboundControlNumbers } from './control-numbers.js';
import { parsePartnerProfile, type TradingPartnerProfile } from './profile.js';
import { openSqlitePartnerStore } from './sqlite-store.js';
import type { PartnerStore } from './store.js';

export interface PartnerServiceOptions {
  /** Folder holding `loom.db` (the store's data dir), used when no `store` is given. */
  dataDir: string;
  /** Where numbers and acks live (PostgreSQL for scale-out); default SQLite in `<dataDir>/loom.db`. Closed by `close`. */
  store?: PartnerStore;
  partners: unknown[];
  clock?: Clock;
}

/**
 * Trading partners: durable outbound control numbers, inbound gap/duplicate checks and expected
 * 997/999 acknowledgements, on a PartnerStore (SQLite `<dataDir>/loom.db` by default, PostgreSQL shared by nodes).
 *
 * @example
 * const partners = new PartnerService({ dataDir: '.loom', partners: [{ partnerId: 'VENDOR-A', ours: { id: 'LOOMHOSP' }, theirs: { id: 'ACMEORTHO' } }] });
 * (await partners.nextOutbound('VENDOR-A')).isa13; // '000000001'
 */
export class PartnerService {
  private readonly store: PartnerStore;
  private readonly clock: Clock;
  private readonly byId = new Map<string, TradingPartnerProfile>();

  constructor(options: PartnerServiceOptions) {
    options.partners.forEach((p, i) => {
      const profile = parsePartnerProfile(p, `partners[${i}]`);
      if (this.byId.has(profile.partnerId)) throw new LoomError('x12.partner.invalid', `partner ${profile.partnerId} is defined twice`, { location: `partners[${i}].partnerId` });
      this.byId.set(profile.partnerId, profile);
    });
    this.clock = options.clock ?? systemClock;
    this.store = options.store ?? openSqlitePartnerStore(options.dataDir);
  }

  /** The profile of a partner id; throws `x12.partner.unknown`. */
  profile(partnerId: string): TradingPartnerProfile {
    const p = this.byId.get(partnerId);
    if (!p) throw new LoomError('x12.partner.unknown', `no trading-partner profile for ${partnerId}`, { hint: `known: ${[...this.byId.keys()].join(', ') || 'none'}` });
    return p;
  }

  profiles(): TradingPartnerProfile[] {
    return [...this.byId.values()];
  }

  /** The partner whose ISA id (ISA06 inbound / ISA08 outbound) is `isaId`, optionally with its qualifier. */
  findByIsaId(isaId: string, qualifier?: string): TradingPartnerProfile | undefined {
    const id = isaId.trim();
    return this.profiles().find((p) => p.theirs.id === id && (qualifier === undefined || p.theirs.qualifier === qualifier.trim()));
  }

  /**
   * Reserve ISA13/GS06/ST02 for one interchange of `sets` sets; committed before it returns.
   * The same `messageKey` gets the same numbers back (crash re-run, resend).
   *
   * @example await partners.nextOutbound('VENDOR-A') // { isa13: '000000001', gs06: '1', st02: ['0001'], ... }
   */
  async nextOutbound(partnerId: string, options: { sets?: number; messageKey?: string } = {}): Promise<OutboundControlNumbers> {
    const p = this.profile(partnerId);
    return this.store.reserveOutbound(p.partnerId, p.controlNumberStart, options.sets ?? 1, options.messageKey, this.clock.now());
  }

  /**
   * Record a received interchange's ISA13 and GS06 numbers; `issues` holds `x12.control.gap` and
   * `x12.control.duplicate` LoomErrors. The same `messageKey` again is a repeat, not a duplicate.
   *
   * @example (await partners.recordInbound('VENDOR-A', '000000007', ['7'])).issues // [] or [LoomError x12.control.gap]
   */
  async recordInbound(partnerId: string, isa13: string, gs06s: string[], options: { messageKey?: string } = {}): Promise<InboundCheck> {
    this.profile(partnerId);
    return this.store.recordInbound(partnerId, isa13, gs06s, options.messageKey, this.clock.now());
  }

  /**
   * Expect the partner's 997/999 for group `gs06` of interchange `isa13`, due `ackWithin` after
   * `sentAt`. Returns undefined when the profile expects no acknowledgement.
   *
   * @example partners.expectAck('VENDOR-A', '000000001', '1', Date.now())
   */
  async expectAck(partnerId: string, isa13: string, gs06: string, sentAt: number = this.clock.now()): Promise<ExpectedAck | undefined> {
    const p = this.profile(partnerId);
    if (p.expectedAck === 'none') return undefined;
    return this.store.insertExpectedAck({ partner: p.partnerId, isa13, gs06, ackKind: p.expectedAck, sentAt, dueAt: sentAt + p.ackWithin });
  }

  /** The expected acknowledgement of one of our groups. */
  expected(partnerId: string, gs06: string): Promise<ExpectedAck | undefined> {
    return this.store.getExpectedAck(partnerId, gs06);
  }

  /**
   * Match a received 997/999 (AK1-02) to the groups we sent and mark them with AK9-01. The partner
   * is the ack's sender (ISA06); `x12.partner.unknown` when no profile has that id.
   *
   * @example (await partners.recordAck(ackText))[0].status // 'accepted'
   */
  async recordAck(ack: X12Interchange | string | Uint8Array): Promise<AckOutcome[]> {
    const ic = typeof ack === 'string' || ack instanceof Uint8Array ? parseX12(ack) : ack;
    const partner = this.findByIsaId(ic.senderId, ic.isa.elements[4]);
    if (!partner) {
      throw new LoomError('x12.partner.unknown', `acknowledgement from ISA06 ${ic.senderId} matches no trading partner`, { location: 'ISA06', hint: 'add the sender to the trading-partner profiles' });
    }
    return this.store.applyAck(partner.partnerId, ic, this.clock.now());
  }

  /**
   * Interchanges whose acknowledgement is late at `now`, each with an `x12.ack.overdue` LoomError.
   *
   * @example (await partners.overdue(Date.now())).map((o) => o.error.describe())
   */
  overdue(now: number | Date = this.clock.now()): Promise<Array<{ expected: ExpectedAck; error: LoomError }>> {
    return this.store.listOverdue(typeof now === 'number' ? now : now.getTime());
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
