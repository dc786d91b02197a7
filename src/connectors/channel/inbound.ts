import type { InboundConnector } from '../../kernel/connector.js';

/**
 * The inbound side of a channel fed only by other channels (`inbound: {kind: channel}`): it opens
 * nothing, since loopback deliveries enter through the engine's intake directly.
 */
export class ChannelInbound implements InboundConnector {
  readonly kind = 'channel';
  constructor(private readonly channel: string) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  address(): string {
    return `channel://${this.channel}`;
  }
}
