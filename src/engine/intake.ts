import { createHash } from 'node:crypto';
import { newId, toLoomError, type Envelope, type InboundRequest, type LoomErrorJson } from '../kernel/index.js';
import type { JournalEntry } from '../kernel/store.js';
import type { ChannelDefinition, HeaderReader, MessageHeader, Validator } from './types.js';

export const DEFAULT_DEDUP_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

/**
 * Turn an inbound request into a journal entry: read the header only (content type → reader),
 * pick the IdempotentReceiver key (source + control id, else content hash), and decide
 * `rejected` for unreadable headers, oversize payloads and (original mode) validation errors.
 */
export function prepareEntry(
  channel: ChannelDefinition,
  request: InboundRequest,
  readers: ReadonlyMap<string, HeaderReader>,
  validators: ReadonlyMap<string, Validator>,
  now: number,
): { entry: JournalEntry; header?: MessageHeader } {
  const id = newId(now);
  // The channel's declared content type decides how the message is read: senders' Content-Type
  // headers are often generic (text/plain) and stay visible in the envelope headers.
  const contentType = channel.contentType;
  const errors: LoomErrorJson[] = [];
  const max = channel.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  let payload = request.payload;
  let header: MessageHeader | undefined;
  if (payload.byteLength > max) {
    errors.push({
      code: 'intake.payload.too-large', message: `payload of ${payload.byteLength} bytes exceeds the channel limit of ${max} bytes; only the first ${max} bytes are stored`,
      hint: `raise maxPayloadBytes of channel ${channel.name} or split the message at the sender`,
    });
    payload = payload.subarray(0, max);
  } else {
    const reader = readers.get(contentType);
    if (reader) {
      try {
        header = reader(payload);
      } catch (e) {
        errors.push(toLoomError(e, 'intake.header.unreadable').toJSON());
      }
    }
    if (errors.length === 0 && channel.validateBeforeAck && (channel.ackMode ?? 'original') === 'original') {
      const validate = validators.get(contentType);
      if (validate) errors.push(...validate(payload));
    }
  }
  // MSH-3/MSH-4 (or ISA06) name the sender more stably than a peer address with an ephemeral port
  const fromHeader = header?.sendingApp ? [header.sendingApp, header.sendingFacility].filter(Boolean).join('^') : undefined;
  const sourceSystem = fromHeader ?? request.sourceSystem ?? channel.sourceSystem;
  const envelope: Envelope = {
    id, correlationId: id, sourceSystem, channel: channel.name, contentType, receivedAt: new Date(now).toISOString(),
    headers: { ...(request.headers ?? {}) },
  };
  const controlId = header?.controlId || undefined;
  const entry: JournalEntry = {
    envelope, payload, status: errors.length > 0 ? 'rejected' : 'received', errors,
    ...(controlId ? { controlId } : {}), ...(header?.type ? { messageType: header.type } : {}),
    // IdempotentReceiver key: per channel, so one sender may feed the same message to two interfaces.
    dedupKey: `${channel.name}|${controlId ?? `sha256:${createHash('sha256').update(payload).digest('hex')}`}`,
    dedupWindowMs: channel.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS,
  };
  return { entry, ...(header ? { header } : {}) };
}

/** Counting semaphore for backpressure: `acquire` waits while `limit` units are out. */
export class Slots {
  private used = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  acquire(): Promise<void> {
    if (this.used < this.limit) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(() => (this.used++, resolve())));
  }

  /** Take a unit even when full (derived messages must not deadlock behind their parent). */
  force(): void {
    this.used++;
  }

  release(): void {
    this.used--;
    while (this.used < this.limit && this.waiters.length > 0) this.waiters.shift()?.();
  }

  get inUse(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }
}
