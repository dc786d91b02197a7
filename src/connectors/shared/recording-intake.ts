import { createHash } from 'node:crypto';
import { LoomError, type LoomErrorJson } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { InboundRequest, Intake, IntakeReceipt } from '../../kernel/connector.js';

/** What a test wants the intake to decide for one request (default: accept). */
export interface RecordingDecision {
  outcome: 'accepted' | 'rejected';
  errors?: LoomErrorJson[];
  controlId?: string;
}

export interface RecordingIntakeOptions {
  ackMode?: 'original' | 'enhanced';
  /** Decide per request; default accepts everything. */
  decide?: (request: InboundRequest) => RecordingDecision;
  /** Idempotency key; default channel + sha256 of the payload (the engine's content-hash fallback). */
  keyOf?: (request: InboundRequest) => string;
  /** Simulated commit latency in ms (resolves only after it, like a real fsync). */
  commitDelayMs?: number;
}

/** One stored message as the double remembers it. */
export interface RecordedMessage {
  messageId: string;
  key: string;
  request: InboundRequest;
  outcome: 'accepted' | 'rejected';
}

/**
 * A test double of the engine's Intake that behaves like the contract: it stores (in memory),
 * dedups on an idempotency key, answers after the "commit", and THROWS `store.unavailable`
 * while `refuse` is set, storing nothing.
 *
 * @example
 * const intake = new RecordingIntake();
 * intake.refuse = true; // next receive() throws LoomError('store.unavailable')
 */
export class RecordingIntake implements Intake {
  readonly stored: RecordedMessage[] = [];
  /** Every call, including refused and duplicate ones. */
  calls = 0;
  duplicates = 0;
  refuse = false;
  private readonly byKey = new Map<string, RecordedMessage>();

  constructor(private readonly options: RecordingIntakeOptions = {}) {}

  async receive(request: InboundRequest): Promise<IntakeReceipt> {
    this.calls++;
    if (this.options.commitDelayMs) await new Promise((r) => setTimeout(r, this.options.commitDelayMs));
    if (this.refuse) {
      throw new LoomError('store.unavailable', 'the message store refused the write (simulated)', {
        hint: 'free disk space or fix the store, then let the sender retry',
      });
    }
    const ackMode = this.options.ackMode ?? 'original';
    const key = this.options.keyOf?.(request) ?? `${request.channel}:${createHash('sha256').update(request.payload).digest('hex')}`;
    const decision = this.options.decide?.(request) ?? { outcome: 'accepted' as const };
    const seen = this.byKey.get(key);
    if (seen) {
      this.duplicates++;
      return { messageId: seen.messageId, outcome: 'duplicate', errors: [], ackMode, controlId: decision.controlId };
    }
    const record: RecordedMessage = { messageId: newId(), key, request, outcome: decision.outcome };
    this.stored.push(record);
    this.byKey.set(key, record);
    return {
      messageId: record.messageId,
      outcome: decision.outcome,
      controlId: decision.controlId,
      errors: decision.errors ?? [],
      ackMode,
    };
  }

  /** Accepted (not rejected) messages stored so far. */
  accepted(): RecordedMessage[] {
    return this.stored.filter((m) => m.outcome === 'accepted');
  }
}
