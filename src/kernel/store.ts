import type { Envelope } from './envelope.js';
import type { LoomErrorJson } from './errors.js';

/** Lifecycle of a journaled message (MessageStore). */
export type MessageStatus = 'received' | 'processing' | 'processed' | 'rejected' | 'duplicate' | 'failed';
/** Lifecycle of one outbox row (one effect on one destination). `parked`: its ordering key waits for release. */
export type OutboxStatus = 'pending' | 'in-flight' | 'delivered' | 'dead' | 'parked';

/** A business key extracted for search: `controlId`, `mrn`, `visitNumber`, `poNumber`, `invoiceNumber`, `gtin`, `lot`, `serial`. */
export interface BusinessKey {
  name: string;
  value: string;
}

/** One destination of one channel: what the dispatcher claims outbox rows for. */
export interface DestinationRef {
  channel: string;
  destination: string;
}

/** One message to journal. The store decides `duplicate` itself (IdempotentReceiver) inside the commit. */
export interface JournalEntry {
  envelope: Envelope;
  payload: Uint8Array;
  status: 'received' | 'rejected';
  controlId?: string;
  messageType?: string;
  errors?: LoomErrorJson[];
  keys?: BusinessKey[];
  /** Idempotency key of the inbound message: control id, or `sha256:<hex>` when there is none. */
  dedupKey?: string;
  /** Window within which the same `sourceSystem` + `dedupKey` is a duplicate; 0 disables. */
  dedupWindowMs?: number;
}

export interface JournalResult {
  id: string;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  /** The earlier message this one duplicates. */
  duplicateOf?: string;
}

/** A row to insert in the outbox (per destination). `payload` absent = the message's own payload. */
export interface NewOutboxRow {
  id: string;
  messageId: string;
  channel: string;
  destination: string;
  idempotencyKey: string;
  orderingKey?: string;
  payload?: Uint8Array;
  contentType: string;
  headers: Record<string, string>;
}

export interface OutboxRow extends NewOutboxRow {
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  createdAt: number;
  deliveredAt?: number;
  /** When the message this row delivers was received (epoch ms): set on claimed rows, for receipt → delivered latency. */
  messageReceivedAt?: number;
  /** Resolved payload (the row's own, else the message's). */
  payload: Uint8Array;
}

export interface StepRecord {
  name: string;
  status: 'ok' | 'filtered' | 'failed' | 'skipped';
  startedAt: number;
  durationMs: number;
  error?: string;
}

/** The result of running a message through its pipeline, written in one transaction. */
export interface Completion {
  messageId: string;
  status: 'processed' | 'failed';
  error?: string;
  steps: StepRecord[];
  keys: BusinessKey[];
  correlationId?: string;
  outbox: NewOutboxRow[];
  /** Derived messages (split, replay, edit) journaled as `received` in the same commit. */
  children: JournalEntry[];
}

export interface StoredMessage {
  envelope: Envelope;
  status: MessageStatus;
  controlId?: string;
  messageType?: string;
  error?: string;
  updatedAt: number;
}

export interface MessageQuery {
  channel?: string;
  status?: MessageStatus;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  correlationId?: string;
  /** Business key value (any key name), exact match. */
  q?: string;
  /** Return messages with id < cursor (newest first). */
  cursor?: string;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface MessageDetail extends StoredMessage {
  payload: Uint8Array;
  keys: BusinessKey[];
  steps: StepRecord[];
  deliveries: OutboxRow[];
  /** Causation chain, oldest first, ending with this message's id. */
  lineage: string[];
  edits: EditRecord[];
}

export interface DeadLetter {
  id: string;
  outboxId: string;
  messageId: string;
  channel: string;
  destination: string;
  reason: string;
  code: string;
  createdAt: number;
  discarded: boolean;
  discardReason?: string;
  replayedAt?: number;
}

export interface ParkedKey {
  channel: string;
  destination: string;
  orderingKey: string;
  outboxId: string;
  parkedAt: number;
  reason: string;
  waiting: number;
}

export interface EditRecord {
  id: string;
  messageId: string;
  payload: Uint8Array;
  createdAt: number;
  actor: string;
  note?: string;
}

export interface OperatorAction {
  id: string;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

/** How long to keep what, in ms. */
export interface RetentionPolicy {
  processedMs: number;
  /** Rejected, failed and duplicate messages. */
  errorMs: number;
  /** Dead letters (and their messages) once discarded or older than this. */
  deadLetterMs: number;
}

export interface PruneResult {
  messagesDeleted: number;
  deadLettersDeleted: number;
  pagesFreed: number;
}

export interface StoreStats {
  /** Transactions committed (group commit folds many writes into one). */
  commits: number;
  /** Writes folded into those commits. */
  writes: number;
  /** WAL checkpoints run off the write path (SQLite; absent elsewhere). */
  checkpoints?: number;
}

/**
 * The MessageStore port. Async so a PostgreSQL adapter can implement it; the embedded
 * SQLite adapter folds writes that arrive together into one transaction (group commit)
 * and resolves each promise only after that commit.
 */
export interface Store {
  readonly kind: string;
  /** Apply pending numbered migrations; returns the names applied (empty when up to date). */
  migrate(): Promise<string[]>;
  journal(entry: JournalEntry): Promise<JournalResult>;
  /** Messages journaled but not yet completed (crash recovery), oldest first. */
  listUnprocessed(afterId: string | undefined, limit: number): Promise<StoredMessage[]>;
  loadPayload(messageId: string): Promise<Uint8Array | undefined>;
  complete(completion: Completion): Promise<void>;
  /**
   * Due outbox rows of the `targets` destinations, earliest due first, taking the targets in the
   * order given until `limit`; skipping ids in `exclude` (in flight) and ordering keys with an
   * earlier undelivered row or parked. Rows of other destinations (a circuit open, a destination
   * removed) are not even read.
   */
  claimDue(now: number, limit: number, exclude: ReadonlySet<string>, targets: readonly DestinationRef[]): Promise<OutboxRow[]>;
  /** Earliest `nextAttemptAt` of a pending row (of `targets`, when given), if any. */
  nextDueAt(targets?: readonly DestinationRef[]): Promise<number | undefined>;
  markDelivered(outboxId: string, now: number, response?: string): Promise<void>;
  markRetry(outboxId: string, attempts: number, nextAttemptAt: number, error: string): Promise<void>;
  markDead(outboxId: string, attempts: number, error: { code: string; message: string }, now: number): Promise<DeadLetter>;
  park(outboxId: string, attempts: number, error: { code: string; message: string }, now: number): Promise<void>;
  listParked(channel?: string): Promise<ParkedKey[]>;
  /** Un-park a key: its rows become pending again, in their original order. Returns rows resumed. */
  releaseParked(channel: string, destination: string, orderingKey: string, now: number): Promise<number>;
  /** Rows left `in-flight` by a crash go back to `pending`. */
  resetInFlight(): Promise<number>;
  search(query: MessageQuery): Promise<Page<StoredMessage>>;
  show(messageId: string): Promise<MessageDetail | undefined>;
  listDeadLetters(query: { channel?: string; includeDiscarded?: boolean; cursor?: string; limit?: number }): Promise<Page<DeadLetter>>;
  getDeadLetter(id: string): Promise<DeadLetter | undefined>;
  /** Put a dead letter's outbox row back to pending (same idempotency key). */
  requeueDeadLetter(id: string, now: number): Promise<void>;
  discardDeadLetter(id: string, reason: string): Promise<void>;
  getOutbox(outboxId: string): Promise<OutboxRow | undefined>;
  enqueueOutbox(rows: NewOutboxRow[], now: number): Promise<void>;
  saveEdit(edit: EditRecord): Promise<void>;
  recordAction(action: OperatorAction): Promise<void>;
  listActions(limit: number): Promise<OperatorAction[]>;
  countByStatus(channel: string): Promise<Record<string, number>>;
  /** Bytes the store takes (SQLite: the database file's pages; PostgreSQL: this schema's tables and indexes). */
  sizeBytes(): Promise<number>;
  /** Delete what `policy` allows (only `channels` when given, all but `exceptChannels` otherwise) and reclaim the space. */
  prune(policy: RetentionPolicy, now: number, scope?: { channels?: string[]; exceptChannels?: string[] }): Promise<PruneResult>;
  /** Online backup to a file while running. */
  backup(file: string): Promise<void>;
  stats(): StoreStats;
  close(): Promise<void>;
}
