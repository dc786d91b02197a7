import type { DeadLetter, OutboxRow, StoredMessage } from '../kernel/store.js';

/** Raw row shapes as the SQL adapters return them (same columns in SQLite and PostgreSQL). */
export interface MessageRowRaw {
  id: string;
  channel: string;
  correlation_id: string;
  causation_id: string | null;
  source_system: string;
  content_type: string;
  received_at: number;
  headers: string;
  control_id: string | null;
  message_type: string | null;
  status: StoredMessage['status'];
  error: string | null;
  updated_at: number;
}

export interface OutboxRowRaw {
  id: string;
  message_id: string;
  channel: string;
  destination: string;
  status: OutboxRow['status'];
  attempts: number;
  next_attempt_at: number;
  idempotency_key: string;
  ordering_key: string | null;
  payload: Buffer | null;
  message_payload?: Buffer | null;
  /** The message's receipt time, selected by the claim. */
  message_received_at?: number | null;
  content_type: string;
  headers: string;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface DeadLetterRaw {
  id: string;
  outbox_id: string;
  message_id: string;
  channel: string;
  destination: string;
  reason: string;
  code: string;
  created_at: number;
  /** SQLite answers 0/1, PostgreSQL a boolean. */
  discarded: number | boolean;
  discard_reason: string | null;
  replayed_at: number | null;
}

export const MESSAGE_COLUMNS =
  'id, channel, correlation_id, causation_id, source_system, content_type, received_at, headers, control_id, message_type, status, error, updated_at';

export function toMessage(r: MessageRowRaw): StoredMessage {
  return {
    envelope: {
      id: r.id,
      correlationId: r.correlation_id,
      ...(r.causation_id ? { causationId: r.causation_id } : {}),
      sourceSystem: r.source_system,
      channel: r.channel,
      contentType: r.content_type,
      receivedAt: new Date(r.received_at).toISOString(),
      headers: JSON.parse(r.headers) as Record<string, string>,
    },
    status: r.status,
    ...(r.control_id ? { controlId: r.control_id } : {}),
    ...(r.message_type ? { messageType: r.message_type } : {}),
    ...(r.error ? { error: r.error } : {}),
    updatedAt: r.updated_at,
  };
}

export function toOutbox(r: OutboxRowRaw): OutboxRow {
  const payload = r.payload ?? r.message_payload ?? Buffer.alloc(0);
  return {
    id: r.id,
    messageId: r.message_id,
    channel: r.channel,
    destination: r.destination,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    idempotencyKey: r.idempotency_key,
    ...(r.ordering_key !== null ? { orderingKey: r.ordering_key } : {}),
    payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
    contentType: r.content_type,
    headers: JSON.parse(r.headers) as Record<string, string>,
    ...(r.last_error ? { lastError: r.last_error } : {}),
    createdAt: r.created_at,
    ...(r.delivered_at !== null ? { deliveredAt: r.delivered_at } : {}),
    ...(r.message_received_at !== undefined && r.message_received_at !== null ? { messageReceivedAt: Number(r.message_received_at) } : {}),
  };
}

export function toDeadLetter(r: DeadLetterRaw): DeadLetter {
  return {
    id: r.id,
    outboxId: r.outbox_id,
    messageId: r.message_id,
    channel: r.channel,
    destination: r.destination,
    reason: r.reason,
    code: r.code,
    createdAt: r.created_at,
    discarded: r.discarded === true || r.discarded === 1,
    ...(r.discard_reason ? { discardReason: r.discard_reason } : {}),
    ...(r.replayed_at !== null ? { replayedAt: r.replayed_at } : {}),
  };
}

/** Buffer view of a Uint8Array, for binding as a BLOB/BYTEA without copying. */
export function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
