import { z } from 'zod';

/** Options of an `amqp` endpoint (RabbitMQ via amqplib). */
export const amqpOptionsSchema = z.object({
  url: z.string().default('amqp://guest:guest@127.0.0.1:5672').describe('Broker URL; put credentials in `${env:NAME}` references.'),
  channel: z.string().min(1).optional().describe('Inbound: the channel consumed messages enter.'),
  queue: z.string().min(1).optional().describe('Inbound: queue to consume. Outbound: queue to publish to when no exchange/routingKey is given.'),
  assertQueue: z.boolean().default(true).describe('Declare the queue (durable) if it does not exist.'),
  prefetch: z.number().int().positive().default(16).describe('Inbound: unacknowledged messages in flight (backpressure).'),
  deadLetterExchange: z.string().optional()
    .describe('Inbound: when set, rejected messages are nacked to this dead-letter exchange (queue argument x-dead-letter-exchange); otherwise they are acked, being recorded as rejected in the store.'),
  exchange: z.string().default('').describe('Outbound: exchange to publish to ("" = default exchange).'),
  routingKey: z.string().optional().describe('Outbound: routing key; defaults to `queue`.'),
  confirmTimeoutMs: z.number().int().positive().default(10_000).describe('Outbound: wait this long for the broker confirm, then retry.'),
  reconnectMs: z.number().int().positive().default(1000).describe('Inbound: delay before reconnecting after the connection drops.'),
});

export type AmqpOptions = z.output<typeof amqpOptionsSchema>;
