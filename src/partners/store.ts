import type { X12Interchange } from '../codecs/x12/index.js';
import type { LoomError } from '../kernel/index.js';
import type { AckOutcome, ExpectedAck } from './acks.js';
import type { InboundCheck, OutboundControlNumbers } from './control-numbers.js';

/** What an expected acknowledgement is registered with. */
export interface NewExpectedAck { partner: string; isa13: string; gs06: string; ackKind: '997' | '999'; sentAt: number; dueAt: number }

/**
 * The PartnerStore port: X12 control numbers (outbound counters and assignments, inbound numbers
 * seen) and expected 997/999 acknowledgements. SQLite keeps them in the node's `loom.db`;
 * PostgreSQL shares them between nodes, so a number is handed out once across the cluster.
 *
 * @example const n = await store.reserveOutbound('VENDOR-A', 1, 1, 'msg-1', Date.now());
 */
export interface PartnerStore {
  readonly kind: string;
  /** Next ISA13/GS06/ST02 for `partner` (counting from `start`), committed before it resolves; the same `messageKey` gets the same numbers. */
  reserveOutbound(partner: string, start: number, sets: number, messageKey: string | undefined, now: number): Promise<OutboundControlNumbers>;
  /** Record a received interchange's numbers and report gaps and duplicates. */
  recordInbound(partner: string, isa13: string, gs06s: string[], messageKey: string | undefined, now: number): Promise<InboundCheck>;
  /** Register an expected acknowledgement; the same (partner, GS06) again keeps the first. */
  insertExpectedAck(e: NewExpectedAck): Promise<ExpectedAck>;
  getExpectedAck(partner: string, gs06: string): Promise<ExpectedAck | undefined>;
  /** Mark the groups a received 997/999 answers (AK1-02) with AK9-01. */
  applyAck(partner: string, ack: X12Interchange, now: number): Promise<AckOutcome[]>;
  /** Pending acknowledgements past their due time. */
  listOverdue(now: number): Promise<Array<{ expected: ExpectedAck; error: LoomError }>>;
  close(): Promise<void>;
}
