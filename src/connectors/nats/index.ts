import { LoomError } from '../../kernel/errors.js';
import type { ConnectorKind } from '../../kernel/connector.js';
import { NatsInbound } from './inbound.js';
import { NatsOutbound } from './outbound.js';
import { natsOptionsSchema, type NatsOptions } from './schema.js';

export { NatsInbound } from './inbound.js';
export { NatsOutbound } from './outbound.js';
export { natsOptionsSchema, type NatsOptions } from './schema.js';

/** The `nats` connector kind: JetStream durable consumer in, deduplicating publisher out. */
export const natsConnector: ConnectorKind<NatsOptions> = {
  kind: 'nats',
  schema: natsOptionsSchema,
  inbound(options, context) {
    if (!options.channel || !options.durable) throw new LoomError('config.field.invalid', 'an inbound nats endpoint needs `channel` and `durable`', { location: 'nats.durable' });
    return new NatsInbound({ ...options, channel: options.channel, durable: options.durable, logger: context.logger });
  },
  outbound(options) {
    return new NatsOutbound(options);
  },
};
