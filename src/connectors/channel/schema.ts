import { z } from 'zod';

/** Options of a `channel` endpoint: outbound names the `target` channel; inbound just marks a channel fed by others. */
export const channelOptionsSchema = z.object({
  channel: z.string().min(1).optional().describe('Inbound: set by Loom to the channel itself (a channel fed by other channels).'),
  target: z.string().min(1).optional().describe('Outbound: the channel of the same engine the payload is handed to.'),
  source: z.string().min(1).optional().describe('Outbound: sender name recorded on the target message (default loom:<destination>).'),
});

export type ChannelOptions = z.output<typeof channelOptionsSchema>;
