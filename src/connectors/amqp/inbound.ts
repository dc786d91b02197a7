import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { toLoomError } from '../../kernel/errors.js';
import type { Intake, InboundConnector } from '../../kernel/connector.js';
import { silentLogger, type Logger } from '../../kernel/ports.js';
import { parseTraceparent } from '../../observability/index.js';
import { delay } from '../shared/util.js';

export interface AmqpInboundOptions {
  url: string;
  channel: string;
  queue: string;
  assertQueue: boolean;
  prefetch: number;
  deadLetterExchange?: string;
  reconnectMs: number;
  logger?: Logger;
}

/**
 * RabbitMQ consumer with manual acknowledgment: a message is acked only after the engine's
 * receipt (durable commit); when the intake throws it is nacked with requeue, so the broker
 * redelivers it. Rejected messages are acked (the store holds them as rejected) or, with
 * `deadLetterExchange`, nacked without requeue so the broker dead-letters them.
 *
 * @example
 * const inbound = new AmqpInbound({ url, channel: 'inventory', queue: 'consumption', assertQueue: true, prefetch: 16, reconnectMs: 1000 });
 * await inbound.start(engine.intake);
 */
export class AmqpInbound implements InboundConnector {
  readonly kind = 'amqp';
  private connection?: ChannelModel;
  private amqpChannel?: Channel;
  private consumerTag?: string;
  private stopped = true;
  private readonly inflight = new Set<Promise<void>>();
  private readonly logger: Logger;

  constructor(private readonly options: AmqpInboundOptions) {
    this.logger = (options.logger ?? silentLogger).child({ channel: options.channel, connector: 'amqp' });
  }

  async start(intake: Intake): Promise<void> {
    this.stopped = false;
    await this.connect(intake);
  }

  private async connect(intake: Intake): Promise<void> {
    const connection = await amqp.connect(this.options.url);
    this.connection = connection;
    connection.on('error', () => undefined); // 'close' follows and handles it
    connection.on('close', () => void this.reconnect(intake));
    const channel = await connection.createChannel();
    this.amqpChannel = channel;
    if (this.options.assertQueue) {
      await channel.assertQueue(this.options.queue, {
        durable: true,
        ...(this.options.deadLetterExchange ? { arguments: { 'x-dead-letter-exchange': this.options.deadLetterExchange } } : {}),
      });
    }
    await channel.prefetch(this.options.prefetch);
    const { consumerTag } = await channel.consume(this.options.queue, (msg) => {
      if (msg === null) return; // consumer cancelled by the broker (queue deleted): the close handler reconnects
      const p = this.handle(channel, msg, intake);
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    }, { noAck: false });
    this.consumerTag = consumerTag;
  }

  private async reconnect(intake: Intake): Promise<void> {
    this.connection = undefined;
    this.amqpChannel = undefined;
    while (!this.stopped) {
      this.logger.warn({ queue: this.options.queue }, 'AMQP connection lost; reconnecting');
      await delay(this.options.reconnectMs);
      if (this.stopped) return;
      try {
        await this.connect(intake);
        return;
      } catch {
        // broker still down: try again after reconnectMs
      }
    }
  }

  private async handle(channel: Channel, msg: ConsumeMessage, intake: Intake): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(msg.properties.headers ?? {})) if (v !== undefined && v !== null) headers[k] = String(v);
    if (msg.properties.messageId) headers['message-id'] = String(msg.properties.messageId);
    // W3C trace context: keep a valid traceparent (and its tracestate); a malformed one starts a new trace.
    if (!parseTraceparent(headers.traceparent)) { delete headers.traceparent; delete headers.tracestate; }
    try {
      const receipt = await intake.receive({
        channel: this.options.channel,
        payload: msg.content,
        contentType: msg.properties.contentType ? String(msg.properties.contentType) : undefined,
        sourceSystem: msg.properties.appId ? String(msg.properties.appId) : `amqp:${this.options.queue}`,
        headers,
      });
      if (receipt.outcome === 'rejected' && this.options.deadLetterExchange) channel.nack(msg, false, false);
      else channel.ack(msg);
    } catch (err) {
      // Not stored: give it back to the broker for redelivery.
      this.logger.warn({ code: toLoomError(err).code, redelivered: msg.fields.redelivered }, 'intake refused; message requeued');
      try { channel.nack(msg, false, true); } catch { /* channel gone: the broker requeues unacked messages itself */ }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const channel = this.amqpChannel;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
    const connection = this.connection;
    this.connection = undefined;
    connection?.removeAllListeners('close');
    await connection?.close().catch(() => undefined);
  }

  address(): string {
    return `${this.options.url.replace(/\/\/[^@]*@/, '//')}/${this.options.queue}`;
  }
}
