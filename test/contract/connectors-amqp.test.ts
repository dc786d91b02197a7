import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { amqpConnector, AmqpInbound } from '../../src/connectors/amqp/index.js';
import { RecordingIntake, waitFor } from '../../src/connectors/shared/index.js';
import type { DeliveryRequest, InboundConnector, OutboundConnector } from '../../src/kernel/connector.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';

const URL = process.env.LOOM_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const ctx = { logger: silentLogger, clock: systemClock, resolvePath: (p: string) => p };

let admin: ChannelModel | undefined;
let adminChannel: Channel;
try {
  admin = await amqp.connect(URL);
} catch (err) {
  if (process.env.CI === 'true') throw new Error(`RabbitMQ is required under CI at ${URL}: ${String(err)}`);
  console.warn(`RabbitMQ unreachable at ${URL}: AMQP connector tests skipped`);
}

const queues: string[] = [];
const exchanges: string[] = [];
const closers: Array<InboundConnector | OutboundConnector> = [];
beforeAll(async () => { if (admin) adminChannel = await admin.createChannel(); });
afterEach(async () => {
  while (closers.length) {
    const c = closers.pop()!;
    await ('stop' in c ? c.stop() : c.close());
  }
  while (queues.length) await adminChannel.deleteQueue(queues.pop()!);
  while (exchanges.length) await adminChannel.deleteExchange(exchanges.pop()!);
});
afterAll(async () => { await admin?.close(); });

function uniqueQueue(): string {
  const q = `loom-test-${randomUUID()}`;
  queues.push(q);
  return q;
}
const req = (key: string, body: string): DeliveryRequest => ({ messageId: `m-${key}`, destination: 'mq', idempotencyKey: key, payload: Buffer.from(body), contentType: 'application/json', headers: { 'x-correlation-id': 'c1' }, attempt: 1 });

function outbound(queue: string): OutboundConnector {
  const out = amqpConnector.outbound!(amqpConnector.schema.parse({ url: URL, queue }), ctx);
  closers.push(out);
  return out;
}
async function inbound(queue: string, intake: RecordingIntake, extra: Record<string, unknown> = {}): Promise<AmqpInbound> {
  const conn = amqpConnector.inbound!(amqpConnector.schema.parse({ url: URL, channel: 'inv', queue, prefetch: 4, ...extra }), ctx) as AmqpInbound;
  await conn.start(intake);
  closers.push(conn);
  return conn;
}

describe.skipIf(!admin)('amqp connector against RabbitMQ', () => {
  it('publishes with confirms (persistent, messageId = idempotency key) and consumes with ack after the receipt', async () => {
    const queue = uniqueQueue();
    const out = outbound(queue);
    expect(await out.deliver(req('erp:INV-1', '{"n":1}'))).toEqual({ status: 'delivered' });
    const raw = await adminChannel.get(queue, { noAck: false });
    expect(raw && raw.properties.messageId).toBe('erp:INV-1');
    expect(raw && raw.properties.deliveryMode).toBe(2);
    if (raw) adminChannel.nack(raw, false, true);
    const intake = new RecordingIntake();
    await inbound(queue, intake);
    await waitFor(() => intake.stored.length === 1, 5000, 'one stored message');
    expect(intake.stored[0]!.request.headers!['message-id']).toBe('erp:INV-1');
    expect(intake.stored[0]!.request.contentType).toBe('application/json');
    await waitFor(async () => (await adminChannel.checkQueue(queue)).messageCount === 0, 5000, 'queue drained');
  });

  it('nacks with requeue while the intake throws, so the broker redelivers; acks once stored', async () => {
    const queue = uniqueQueue();
    const intake = new RecordingIntake();
    intake.refuse = true;
    await inbound(queue, intake);
    expect((await outbound(queue).deliver(req('k2', 'payload'))).status).toBe('delivered');
    await waitFor(() => intake.calls >= 2, 5000, 'a redelivery');
    expect(intake.stored).toHaveLength(0);
    intake.refuse = false;
    await waitFor(() => intake.stored.length === 1, 5000, 'stored after redelivery');
  });

  it('acks rejected messages, or dead-letters them when a dead-letter exchange is configured', async () => {
    const rejectAll = () => ({ outcome: 'rejected' as const, errors: [{ code: 'json.invalid', message: 'bad' }] });
    const plain = uniqueQueue();
    const intake = new RecordingIntake({ decide: rejectAll });
    await inbound(plain, intake);
    await outbound(plain).deliver(req('r1', 'x'));
    await waitFor(() => intake.stored.length === 1, 5000, 'rejected recorded');
    await waitFor(async () => (await adminChannel.checkQueue(plain)).messageCount === 0, 5000, 'acked');

    const dlx = `loom-test-dlx-${randomUUID()}`;
    exchanges.push(dlx);
    const parking = uniqueQueue();
    await adminChannel.assertExchange(dlx, 'fanout', { durable: false, autoDelete: false });
    await adminChannel.assertQueue(parking, { durable: false });
    await adminChannel.bindQueue(parking, dlx, '');
    const withDlx = uniqueQueue();
    const intake2 = new RecordingIntake({ decide: rejectAll });
    await inbound(withDlx, intake2, { deadLetterExchange: dlx });
    expect((await outbound(withDlx).deliver(req('r2', 'y'))).status).toBe('delivered');
    await waitFor(async () => (await adminChannel.checkQueue(parking)).messageCount === 1, 5000, 'dead-lettered');
    expect(intake2.stored).toHaveLength(1);
  });

  it('retries when the broker cannot be reached', async () => {
    const out = amqpConnector.outbound!(amqpConnector.schema.parse({ url: 'amqp://guest:guest@127.0.0.1:1', queue: 'never' }), ctx);
    closers.push(out);
    const result = await out.deliver(req('k', 'x'));
    expect(result.status).toBe('retry');
    if (result.status === 'retry') expect(result.error.code).toBe('delivery.unreachable');
  });
});
