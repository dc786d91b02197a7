import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { LoomError } from '../../kernel/errors.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../kernel/connector.js';
import { outboundTraceHeaders } from '../../observability/index.js';

export interface AmqpOutboundOptions {
  url: string;
  exchange: string;
  routingKey: string;
  /** Declare this durable queue before the first publish. */
  queue?: string;
  assertQueue: boolean;
  confirmTimeoutMs: number;
}

/**
 * RabbitMQ publisher on a confirm channel: delivered only once the broker confirms; persistent
 * messages whose `messageId` is the idempotency key, so consumers can dedupe. A dropped
 * connection is reopened on the next delivery.
 *
 * @example
 * const out = new AmqpOutbound({ url, exchange: '', routingKey: 'erp.postings', queue: 'erp.postings', assertQueue: true, confirmTimeoutMs: 10000 });
 * await out.deliver(request);
 */
export class AmqpOutbound implements OutboundConnector {
  readonly kind = 'amqp';
  private connection?: ChannelModel;
  private channel?: Promise<ConfirmChannel>;

  constructor(private readonly options: AmqpOutboundOptions) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    let channel: ConfirmChannel;
    try {
      channel = await this.open();
    } catch (err) {
      this.reset();
      return { status: 'retry', error: new LoomError('delivery.unreachable', `cannot reach the AMQP broker: ${err instanceof Error ? err.message : String(err)}`, { cause: err, hint: 'check the broker URL and that it runs; Loom retries' }) };
    }
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new LoomError('delivery.timeout', `no publisher confirm within ${this.options.confirmTimeoutMs} ms`)), this.options.confirmTimeoutMs);
        channel.publish(this.options.exchange, this.options.routingKey, Buffer.from(request.payload), {
          persistent: true,
          messageId: request.idempotencyKey,
          contentType: request.contentType,
          headers: { ...request.headers, ...outboundTraceHeaders(request.headers, request.messageId), 'x-loom-message-id': request.messageId },
          mandatory: false,
        }, (err: unknown) => {
          clearTimeout(timer);
          if (err) reject(new LoomError('delivery.amqp.nacked', 'the broker did not confirm the message (nack)', { cause: err }));
          else resolve();
        });
      });
      return { status: 'delivered' };
    } catch (err) {
      this.reset();
      const error = err instanceof LoomError ? err : new LoomError('delivery.amqp.failed', String(err), { cause: err });
      return { status: 'retry', error };
    }
  }

  private open(): Promise<ConfirmChannel> {
    this.channel ??= (async () => {
      const connection = await amqp.connect(this.options.url);
      this.connection = connection;
      connection.on('error', () => undefined);
      connection.on('close', () => { if (this.connection === connection) this.reset(); });
      if (this.options.queue && this.options.assertQueue) await declareQueue(connection, this.options.queue);
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => { if (this.connection === connection) this.reset(); });
      return channel;
    })();
    return this.channel;
  }

  private reset(): void {
    const connection = this.connection;
    this.connection = undefined;
    this.channel = undefined;
    connection?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.channel = undefined;
    await connection?.close().catch(() => undefined);
  }
}

/**
 * Declare a durable queue on a throwaway channel. A 406 PRECONDITION_FAILED means it exists with
 * other arguments (e.g. the consumer added x-dead-letter-exchange): that queue is fine to publish to.
 */
async function declareQueue(connection: ChannelModel, queue: string): Promise<void> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    await channel.assertQueue(queue, { durable: true });
    await channel.close();
  } catch (err) {
    if ((err as { code?: unknown }).code !== 406) throw err;
  }
}
