import { LoomError } from '../../kernel/errors.js';
import type { ConnectorKind } from '../../kernel/connector.js';
import { ChannelInbound } from './inbound.js';
import { ChannelOutbound } from './outbound.js';
import { channelOptionsSchema, type ChannelOptions } from './schema.js';

export { ChannelOutbound, LoopbackHeaders } from './outbound.js';
export { ChannelInbound } from './inbound.js';
export { channelOptionsSchema, type ChannelOptions } from './schema.js';

/**
 * The `channel` connector kind: a destination `{kind: channel, target: events}` hands the payload to
 * channel `events` of the same engine (durably); `inbound: {kind: channel}` marks a channel fed that way.
 *
 * @example
 * destinations: [{ name: to-events, kind: channel, target: events }]
 */
export const channelConnector: ConnectorKind<ChannelOptions> = {
  kind: 'channel',
  schema: channelOptionsSchema,
  inbound(options) {
    return new ChannelInbound(options.channel ?? 'unknown');
  },
  outbound(options, context) {
    if (!options.target) throw new LoomError('config.field.invalid', 'a channel destination needs `target` (the channel to hand messages to)', { location: 'channel.target', hint: 'e.g. { kind: channel, target: events }' });
    if (!context.intake) throw new LoomError('connector.channel.no-intake', 'the channel connector needs the engine intake in its context', { hint: 'start it through startLoom, which passes the engine as intake' });
    return new ChannelOutbound(context.intake, { target: options.target, ...(options.source ? { source: options.source } : {}) });
  },
};
