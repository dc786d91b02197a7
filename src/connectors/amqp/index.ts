import { LoomError } from '../../kernel/errors.js';
import type { ConnectorKind } from '../../kernel/connector.js';
import { AmqpInbound } from './inbound.js';
import { AmqpOutbound } from './outbound.js';
import { amqpOptionsSchema, type AmqpOptions } from './schema.js';

export { AmqpInbound, type AmqpInboundOptions } from './inbound.js';
export { AmqpOutbound, type AmqpOutboundOptions } from './outbound.js';
export { amqpOptionsSchema, type AmqpOptions } from './schema.js';

/** The `amqp` connector kind: RabbitMQ consumer (manual ack after the receipt) and confirm-channel publisher. */
export const amqpConnector: ConnectorKind<AmqpOptions> = {
  kind: 'amqp',
  schema: amqpOptionsSchema,
  inbound(options, context) {
    if (!options.channel || !options.queue) throw new LoomError('config.field.invalid', 'an inbound amqp endpoint needs `channel` and `queue`', { location: 'amqp.queue' });
    return new AmqpInbound({ ...options, channel: options.channel, queue: options.queue, logger: context.logger });
  },
  outbound(options) {
    const routingKey = options.routingKey ?? options.queue;
    if (routingKey === undefined) throw new LoomError('config.field.invalid', 'an outbound amqp endpoint needs `routingKey` or `queue`', { location: 'amqp.routingKey' });
    return new AmqpOutbound({ url: options.url, exchange: options.exchange, routingKey, queue: options.queue, assertQueue: options.assertQueue, confirmTimeoutMs: options.confirmTimeoutMs });
  },
};
