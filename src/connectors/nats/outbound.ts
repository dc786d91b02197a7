import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { LoomError } from '../../kernel/errors.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../kernel/connector.js';
import { outboundTraceHeaders } from '../../observability/index.js';
import { ensureStream, jetstreamManager, openNats } from './connection.js';
import type { NatsOptions } from './schema.js';

/**
 * JetStream publisher: `Nats-Msg-Id` is the idempotency key, so the stream drops a resend inside
 * its duplicate window (the PubAck says `duplicate`, which counts as delivered).
 *
 * @example
 * const out = new NatsOutbound(natsOptionsSchema.parse({ stream: 'EVENTS', subject: 'loom.events', ensureStream: true }));
 * await out.deliver(request);
 */
export class NatsOutbound implements OutboundConnector {
  readonly kind = 'nats';
  private ready?: Promise<{ nc: NatsConnection; js: JetStreamClient }>;

  constructor(private readonly options: NatsOptions) {}

  private open(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    this.ready ??= (async () => {
      const nc = await openNats(this.options);
      if (this.options.ensureStream) await ensureStream(await jetstreamManager(nc), this.options.stream, this.options.subject, this.options.duplicateWindowMs);
      return { nc, js: jetstream(nc) };
    })();
    return this.ready;
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    let js: JetStreamClient;
    try {
      ({ js } = await this.open());
    } catch (err) {
      this.ready = undefined;
      return { status: 'retry', error: new LoomError('delivery.unreachable', `cannot reach NATS at ${String(this.options.servers)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err, hint: 'check the server address and that it runs with JetStream; Loom retries' }) };
    }
    const h = natsHeaders();
    for (const [k, v] of Object.entries({ ...request.headers, ...outboundTraceHeaders(request.headers, request.messageId) })) h.set(k, v);
    h.set('content-type', request.contentType);
    h.set('loom-message-id', request.messageId);
    try {
      const ack = await js.publish(this.options.subject, request.payload, { msgID: request.idempotencyKey, headers: h, timeout: this.options.publishTimeoutMs });
      return { status: 'delivered', response: `${ack.stream} seq ${ack.seq}${ack.duplicate ? ' (duplicate)' : ''}` };
    } catch (err) {
      return { status: 'retry', error: new LoomError('delivery.nats.publish-failed', `JetStream did not acknowledge the publish to ${this.options.subject}: ${err instanceof Error ? err.message : String(err)}`, { cause: err, hint: 'is there a stream on this subject? set ensureStream or create it; Loom retries' }) };
    }
  }

  async close(): Promise<void> {
    const ready = this.ready;
    this.ready = undefined;
    if (!ready) return;
    try {
      await (await ready).nc.drain();
    } catch {
      // never connected
    }
  }
}
