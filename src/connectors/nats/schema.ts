import { z } from 'zod';

/** Options of a `nats` endpoint (NATS JetStream). */
export const natsOptionsSchema = z.object({
  servers: z.union([z.string(), z.array(z.string())]).default('127.0.0.1:4222').describe('NATS server(s), e.g. `127.0.0.1:4222`.'),
  token: z.string().optional().describe('Auth token; write `${env:NAME}` in the config.'),
  user: z.string().optional().describe('User name for user/password auth.'),
  pass: z.string().optional().describe('Password; write `${env:NAME}` in the config.'),
  channel: z.string().min(1).optional().describe('Inbound: the channel consumed messages enter.'),
  stream: z.string().min(1).describe('JetStream stream name.'),
  subject: z.string().min(1).describe('Outbound: subject to publish to. Inbound: filter subject of the consumer (may use wildcards).'),
  ensureStream: z.boolean().default(false).describe('Create the stream (subjects: [subject]) if it does not exist.'),
  duplicateWindowMs: z.number().int().positive().default(120_000).describe('With ensureStream: dedup window for Nats-Msg-Id.'),
  durable: z.string().min(1).optional().describe('Inbound: durable consumer name (created if missing).'),
  ackWaitMs: z.number().int().positive().default(30_000).describe('Inbound: redeliver when not acked within this time.'),
  maxAckPending: z.number().int().positive().default(256).describe('Inbound: unacked messages outstanding (backpressure).'),
  nakDelayMs: z.number().int().min(0).default(1000).describe('Inbound: redelivery delay after the intake refused a message.'),
  publishTimeoutMs: z.number().int().positive().default(5000).describe('Outbound: wait this long for the PubAck, then retry.'),
});

export type NatsOptions = z.output<typeof natsOptionsSchema>;
