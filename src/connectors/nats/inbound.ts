import { AckPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { toLoomError } from '../../kernel/errors.js';
import type { Intake, InboundConnector } from '../../kernel/connector.js';
import { silentLogger, type Logger } from '../../kernel/ports.js';
import { parseTraceparent } from '../../observability/index.js';
import { ensureStream, jetstreamManager, openNats } from './connection.js';
import type { NatsOptions } from './schema.js';

/**
 * JetStream durable consumer with explicit ack: a message is acked after the engine's receipt
 * (durable commit), nak'd with a delay when the intake throws, so JetStream redelivers it.
 * Rejected messages are acked (the store records them as rejected). Messages are handled one at a
 * time in stream order (FIFO per consumer).
 *
 * @example
 * const inbound = new NatsInbound({ ...natsOptionsSchema.parse({ stream: 'INV', subject: 'inv.>', durable: 'loom' }), channel: 'inventory' });
 * await inbound.start(engine.intake);
 */
export class NatsInbound implements InboundConnector {
  readonly kind = 'nats';
  private nc?: NatsConnection;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly logger: Logger;

  constructor(private readonly options: NatsOptions & { channel: string; durable: string; logger?: Logger }) {
    this.logger = (options.logger ?? silentLogger).child({ channel: options.channel, connector: 'nats' });
  }

  async start(intake: Intake): Promise<void> {
    const o = this.options;
    const nc = await openNats(o);
    this.nc = nc;
    const jsm = await jetstreamManager(nc);
    if (o.ensureStream) await ensureStream(jsm, o.stream, o.subject, o.duplicateWindowMs);
    try {
      await jsm.consumers.info(o.stream, o.durable);
    } catch {
      await jsm.consumers.add(o.stream, {
        durable_name: o.durable,
        ack_policy: AckPolicy.Explicit,
        filter_subject: o.subject,
        ack_wait: o.ackWaitMs * 1_000_000, // nanoseconds
        max_ack_pending: o.maxAckPending,
      });
    }
    const consumer = await jetstream(nc).consumers.get(o.stream, o.durable);
    const messages = await consumer.consume({ max_messages: Math.min(o.maxAckPending, 256) });
    this.messages = messages;
    this.loop = (async () => {
      for await (const m of messages) await this.handle(m, intake);
    })().catch((err: unknown) => this.logger.error({ err: String(err) }, 'NATS consumer loop ended'));
  }

  private async handle(m: JsMsg, intake: Intake): Promise<void> {
    const headers: Record<string, string> = { subject: m.subject };
    if (m.headers) for (const [k, v] of m.headers) headers[k.toLowerCase()] = v.join(',');
    // W3C trace context: keep a valid traceparent (and its tracestate); a malformed one starts a new trace.
    if (!parseTraceparent(headers.traceparent)) { delete headers.traceparent; delete headers.tracestate; }
    try {
      // accepted, duplicate and rejected are all durable now: ack (rejected ones are in the store)
      await intake.receive({
        channel: this.options.channel,
        payload: m.data,
        contentType: headers['content-type'],
        sourceSystem: `nats:${m.subject}`,
        headers,
      });
      m.ack();
    } catch (err) {
      this.logger.warn({ code: toLoomError(err).code, redeliveries: m.info.deliveryCount }, 'intake refused; message nak\'d for redelivery');
      m.nak(this.options.nakDelayMs);
    }
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
    await this.nc?.drain().catch(() => undefined);
    this.nc = undefined;
  }

  address(): string {
    const servers = Array.isArray(this.options.servers) ? this.options.servers.join(',') : this.options.servers;
    return `nats://${servers}/${this.options.stream}/${this.options.durable}`;
  }
}
