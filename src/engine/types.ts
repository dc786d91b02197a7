import type { Envelope, LoomErrorJson, Logger, OutboundConnector } from '../kernel/index.js';
import type { BusinessKey, RetentionPolicy } from '../kernel/store.js';

/** What a header reader finds without decoding the whole message (MSH / ISA-GS-ST). */
export interface MessageHeader {
  type?: string;
  /** MSH-10 / ISA13. */
  controlId?: string;
  version?: string;
  sendingApp?: string;
  sendingFacility?: string;
  acceptAckType?: string;
  appAckType?: string;
}

/** Reads the header of one content type; throws LoomError when unreadable (the message is journaled `rejected`). */
export type HeaderReader = (payload: Uint8Array) => MessageHeader;
/** Full validation before the ACK (original mode with `validateBeforeAck`); returns errors, empty when valid. */
export type Validator = (payload: Uint8Array) => LoomErrorJson[];
/** Full parse for steps (`ctx.parsed()`), by content type. */
export type Parser = (payload: Uint8Array) => unknown;

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface BreakerPolicy {
  /** Consecutive failures that open the breaker. */
  threshold: number;
  /** Time open before one trial call (half-open). */
  cooldownMs: number;
}

export interface DestinationDefinition {
  name: string;
  connector: OutboundConnector;
  retry?: Partial<RetryPolicy>;
  breaker?: Partial<BreakerPolicy>;
}

export interface StepUse {
  /** Registered step name: `filter`, `translate`, `route`, `split`, `enrich`, or a user step. */
  use: string;
  with?: Record<string, unknown>;
}

/** A Channel: intake → journal → receipt → steps → per-destination outbox → delivery. */
export interface ChannelDefinition {
  name: string;
  /** Default sender when the connector does not name one. */
  sourceSystem: string;
  contentType: string;
  /** original: AA/AE/AR after processing policy; enhanced: CA on commit, application ACK later. Default original. */
  ackMode?: 'original' | 'enhanced';
  /** Run the content type's validator before the ACK (original mode): errors → rejected receipt. */
  validateBeforeAck?: boolean;
  /** FIFO per ordering key; exhausted messages park their key instead of dead-lettering. */
  ordered?: boolean;
  steps?: StepUse[];
  destinations: DestinationDefinition[];
  /** IdempotentReceiver window for source + control id. Default 24 h; 0 disables. */
  dedupWindowMs?: number;
  /** Larger payloads are journaled (truncated) as rejected. Default 16 MiB. */
  maxPayloadBytes?: number;
  retention?: Partial<RetentionPolicy>;
}

/** Context a step receives. `parsed()` decodes lazily once, by content type. */
export interface StepContext {
  readonly envelope: Envelope;
  payload: Uint8Array;
  contentType: string;
  /** Payload as UTF-8 text. */
  text(): string;
  parsed(): unknown;
  /** Business key for search: `mrn`, `visitNumber`, `poNumber`, `invoiceNumber`, `gtin`, `lot`, `serial`... */
  setKey(name: string, value: string): void;
  setOrderingKey(key: string): void;
  setCorrelationId(id: string): void;
  /** Effect key base: the outbox idempotency key becomes `<destination>:<key>`. */
  setEffectKey(key: string): void;
  /** Scratch data shared by later steps (enrich writes here). */
  readonly data: Record<string, unknown>;
  readonly logger: Logger;
}

/** What a step may answer; nothing = pass on unchanged. */
export interface StepOutput {
  /** Filter: stop here, message is `processed` with the step `filtered`. */
  drop?: string;
  /** Translate: replace the payload (and its content type). */
  payload?: Uint8Array | string;
  contentType?: string;
  /** Route: deliver to these destinations only. */
  destinations?: string[];
  /** Split: each part becomes a child message (causation = this one) that runs the remaining steps. */
  split?: Array<{ payload: Uint8Array | string; contentType?: string }>;
}

export type StepFunction = (ctx: StepContext) => StepOutput | void | Promise<StepOutput | void>;
/** A registered step: built from its `with` options once per channel (re)load. */
export type StepFactory = (options: Record<string, unknown>, services: StepServices) => StepFunction;

export interface StepServices {
  /** Named mapping functions for `translate`. */
  mappings: ReadonlyMap<string, Mapping>;
}

/** A Translator: from the parsed (or raw) message to a new payload. */
export type Mapping = (input: unknown, ctx: StepContext) => { payload: Uint8Array | string; contentType?: string };

export type { BusinessKey };
