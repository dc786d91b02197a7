import type { z } from 'zod';
import type { LoomError, LoomErrorJson } from './errors.js';
import type { Clock, Logger } from './ports.js';

/** What an inbound connector hands the engine: raw bytes plus where they came from. */
export interface InboundRequest {
  channel: string;
  payload: Uint8Array;
  contentType?: string;
  /** Sender as the connector knows it (peer address, authenticated client, file name). */
  sourceSystem?: string;
  headers?: Record<string, string>;
}

/**
 * The engine's answer, given only after the message is durable (or durably rejected).
 * - accepted: journaled, will be processed.
 * - duplicate: already seen (IdempotentReceiver); acknowledge, do not process again.
 * - rejected: journaled as rejected (unreadable header, failed validation in original mode);
 *   the connector answers AE/AR, 4xx, or moves the file to error/.
 */
export interface IntakeReceipt {
  messageId: string;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  /** Control id read from the header (MSH-10, ISA13), when readable. */
  controlId?: string;
  errors: LoomErrorJson[];
  /** Enhanced-mode channels acknowledge receipt (CA) and send the application ACK later. */
  ackMode: 'original' | 'enhanced';
}

/**
 * The engine's intake. `receive` resolves only after the durable commit; it throws
 * LoomError (e.g. `store.unavailable`, `channel.unknown`, `intake.paused`) when the message
 * was NOT stored, in which case the connector must not acknowledge it (NAK/503/leave the file).
 */
export interface Intake {
  receive(request: InboundRequest): Promise<IntakeReceipt>;
}

/** What the engine hands an outbound connector for one attempt. */
export interface DeliveryRequest {
  messageId: string;
  destination: string;
  /** Stable per effect (destination + business key): receivers dedupe on it. */
  idempotencyKey: string;
  payload: Uint8Array;
  contentType: string;
  headers: Record<string, string>;
  /** 1-based attempt number. */
  attempt: number;
}

export type DeliveryResult =
  | { status: 'delivered'; response?: string }
  /** Transient: retry with backoff (5xx, timeout, refused, AE when configured to retry). */
  | { status: 'retry'; error: LoomError; response?: string }
  /** Permanent: dead-letter at once (4xx, AR). */
  | { status: 'failed'; error: LoomError; response?: string };

export interface ConnectorContext {
  logger: Logger;
  clock: Clock;
  /** Resolve a path from the config file's folder. */
  resolvePath(relative: string): string;
  /** The engine's data folder (absolute), for connectors that keep state beside the store. */
  dataDir?: string;
  /**
   * The engine's own intake, for connectors that hand messages to another channel of the same
   * engine (a durable hop: the target channel journals before the delivery counts as done).
   */
  intake?: Intake;
  /**
   * Told of each request an inbound connector refused for a security reason (a bad, stale or
   * replayed webhook signature): Loom appends it to the audit log.
   */
  onSecurityRefusal?: (refusal: SecurityRefusal) => void;
}

/** A request an inbound connector refused before journaling it, for the audit log. */
export interface SecurityRefusal {
  channel: string;
  /** The LoomError code of the refusal: `webhook.signature.mismatch`, `webhook.signature.stale` ... */
  code: string;
  message: string;
}

export interface InboundConnector {
  readonly kind: string;
  start(intake: Intake): Promise<void>;
  /** Stop taking new work; resolves when in-flight requests have been answered. */
  stop(): Promise<void>;
  /** Where it listens or reads, for logs and the console: `mllp://127.0.0.1:2575`. */
  address(): string;
}

export interface OutboundConnector {
  readonly kind: string;
  deliver(request: DeliveryRequest): Promise<DeliveryResult>;
  close(): Promise<void>;
}

/**
 * A connector kind (`mllp`, `http`, `file`, `amqp`, `nats`, `fhir`): its zod config schema and
 * factories. The config loader validates each endpoint's options with `schema`.
 */
export interface ConnectorKind<Options> {
  readonly kind: string;
  readonly schema: z.ZodType<Options>;
  inbound?(options: Options, context: ConnectorContext): InboundConnector;
  outbound?(options: Options, context: ConnectorContext): OutboundConnector;
}
