import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import amqp, { type ChannelModel } from 'amqplib';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { amqpConnector } from '../../src/connectors/amqp/index.js';
import { fhirConnector } from '../../src/connectors/fhir/index.js';
import { HttpInbound, HttpOutbound } from '../../src/connectors/http/index.js';
import { natsConnector } from '../../src/connectors/nats/index.js';
import { RecordingIntake, waitFor } from '../../src/connectors/shared/index.js';
import type { DeliveryRequest, InboundConnector, OutboundConnector } from '../../src/kernel/connector.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';
import { messageTraceId, parseTraceparent } from '../../src/observability/index.js';
import { startEngine, tempDir } from '../e2e/engine-harness.js';

const AMQP_URL = process.env.LOOM_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const NATS_SERVER = process.env.LOOM_TEST_NATS ?? '127.0.0.1:4222';
const ctx = { logger: silentLogger, clock: systemClock, resolvePath: (p: string) => p };
const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

let rabbit: ChannelModel | undefined;
try {
  rabbit = await amqp.connect(AMQP_URL);
} catch (err) {
  if (process.env.CI === 'true') throw new Error(`RabbitMQ is required under CI at ${AMQP_URL}: ${String(err)}`);
  console.warn(`RabbitMQ unreachable at ${AMQP_URL}: AMQP trace tests skipped`);
}
let nats: NatsConnection | undefined;
let jsm: JetStreamManager;
try {
  nats = await connect({ servers: NATS_SERVER, timeout: 2000 });
  jsm = await jetstreamManager(nats);
} catch (err) {
  if (process.env.CI === 'true') throw new Error(`NATS JetStream is required under CI at ${NATS_SERVER}: ${String(err)}`);
  console.warn(`NATS JetStream unreachable at ${NATS_SERVER}: NATS trace tests skipped`);
  nats = undefined;
}

const closers: Array<InboundConnector | OutboundConnector | { close(): Promise<void> }> = [];
afterEach(async () => {
  while (closers.length) {
    const c = closers.pop()!;
    await ('stop' in c ? c.stop() : c.close());
  }
});
afterAll(async () => {
  await rabbit?.close();
  await nats?.close();
});

const req = (messageId: string, headers: Record<string, string>): DeliveryRequest => ({
  messageId, destination: 'd', idempotencyKey: `k-${messageId}`, payload: Buffer.from('{"n":1}'), contentType: 'application/json', headers, attempt: 1,
});

/** A node:http peer that records each request's headers. */
async function recordingServer(): Promise<{ url: string; seen: http.IncomingHttpHeaders[] }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((rq, rs) => {
    seen.push(rq.headers);
    rq.resume();
    rq.on('end', () => rs.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push({ close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`, seen };
}

function httpOut(url: string): HttpOutbound {
  const out = new HttpOutbound({ url, method: 'POST', headers: {}, timeoutMs: 5000 });
  closers.push(out);
  return out;
}

describe('HTTP traceparent propagation', () => {
  it('outbound sends a child traceparent: same trace id, new span id, tracestate kept', async () => {
    const peer = await recordingServer();
    const result = await httpOut(peer.url).deliver(req('m-1', { traceparent: PARENT, tracestate: 'vendor=abc' }));
    expect(result.status).toBe('delivered');
    const sent = parseTraceparent(String(peer.seen[0]?.traceparent));
    expect(sent?.traceId).toBe(TRACE_ID);
    expect(sent?.spanId).not.toBe('00f067aa0ba902b7');
    expect(peer.seen[0]?.tracestate).toBe('vendor=abc');
  });

  it('without an inbound traceparent, the same message delivered twice carries the same trace id', async () => {
    const peer = await recordingServer();
    const out = httpOut(peer.url);
    await out.deliver(req('m-42', {}));
    await out.deliver({ ...req('m-42', {}), attempt: 2 });
    await out.deliver(req('m-43', {}));
    const ids = peer.seen.map((h) => parseTraceparent(String(h.traceparent))?.traceId);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(peer.seen[0]?.tracestate).toBeUndefined();
  });

  it('inbound passes a valid traceparent through and drops a malformed one', async () => {
    const intake = new RecordingIntake();
    const inbound = new HttpInbound('inv', { host: '127.0.0.1', port: 0, path: '/in', maxBytes: 1 << 20 });
    await inbound.start(intake);
    closers.push(inbound);
    let n = 0;
    const post = (headers: Record<string, string>) => fetch(inbound.address(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: `{"n":${++n}}` });
    expect((await post({ traceparent: PARENT, tracestate: 'vendor=abc' })).status).toBe(202);
    expect((await post({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01', tracestate: 'x=1' })).status).toBe(202);
    expect((await post({})).status).toBe(202);
    await waitFor(() => intake.stored.length === 3, 5000, 'three messages');
    const [valid, malformed, none] = intake.stored.map((m) => m.request.headers ?? {});
    expect(valid).toMatchObject({ traceparent: PARENT, tracestate: 'vendor=abc' });
    expect(malformed).not.toHaveProperty('traceparent');
    expect(malformed).not.toHaveProperty('tracestate');
    expect(none).not.toHaveProperty('traceparent');
  });
});

describe('FHIR traceparent propagation', () => {
  const patient = (messageId: string, headers: Record<string, string>): DeliveryRequest => ({
    ...req(messageId, headers),
    payload: Buffer.from(JSON.stringify({ resourceType: 'Patient', id: 'p1' })),
    contentType: 'application/fhir+json',
  });
  const fhirOut = (url: string): OutboundConnector => {
    const out = fhirConnector.outbound!(fhirConnector.schema.parse({ baseUrl: url.replace(/\/in$/, '/fhir/R4') }), ctx);
    closers.push(out);
    return out;
  };

  it('the FHIR client sends a child traceparent (same trace id, new span id) and keeps tracestate', async () => {
    const peer = await recordingServer();
    const result = await fhirOut(peer.url).deliver(patient('m-f', { traceparent: PARENT, tracestate: 'vendor=abc' }));
    expect(result.status).toBe('delivered');
    const sent = parseTraceparent(String(peer.seen[0]?.traceparent));
    expect(sent?.traceId).toBe(TRACE_ID);
    expect(sent?.spanId).not.toBe('00f067aa0ba902b7');
    expect(peer.seen[0]?.tracestate).toBe('vendor=abc');
  });

  it('without an inbound traceparent, the FHIR client sends the message-id-derived trace id on every attempt', async () => {
    const peer = await recordingServer();
    const out = fhirOut(peer.url);
    await out.deliver(patient('m-g', {}));
    await out.deliver({ ...patient('m-g', {}), attempt: 2 });
    const ids = peer.seen.map((h) => parseTraceparent(String(h.traceparent))?.traceId);
    expect(ids[0]).toBe(messageTraceId('m-g'));
    expect(ids[1]).toBe(ids[0]);
  });
});

describe('engine: receipt to delivery', () => {
  it('the journaled traceparent reaches the delivery request, and HTTP out continues that trace', async () => {
    const peer = await recordingServer();
    const t = tempDir();
    const engine = await startEngine([{ name: 'c', sourceSystem: 's', contentType: 'text/plain', destinations: [{ name: 'd', connector: httpOut(peer.url) }] }], {}, t.dir);
    closers.push({ close: async () => { await engine.stop(); t.cleanup(); } });
    await engine.receive({ channel: 'c', payload: Buffer.from('with'), headers: { traceparent: PARENT, tracestate: 'v=1' } });
    await engine.receive({ channel: 'c', payload: Buffer.from('without') });
    await waitFor(() => peer.seen.length === 2, 5000, 'two deliveries');
    const traced = peer.seen.filter((h) => parseTraceparent(String(h.traceparent))?.traceId === TRACE_ID);
    expect(traced).toHaveLength(1);
    expect(traced[0]?.tracestate).toBe('v=1');
    expect(peer.seen.every((h) => parseTraceparent(String(h.traceparent)) !== undefined)).toBe(true);
  });
});

describe.skipIf(!rabbit)('AMQP traceparent propagation', () => {
  it('outbound carries the child traceparent in the message headers', async () => {
    const queue = `loom-test-${randomUUID()}`;
    const out = amqpConnector.outbound!(amqpConnector.schema.parse({ url: AMQP_URL, queue }), ctx);
    closers.push(out);
    const admin = await rabbit!.createChannel();
    try {
      expect((await out.deliver(req('m-a', { traceparent: PARENT }))).status).toBe('delivered');
      const raw = await admin.get(queue, { noAck: true });
      const headers: Record<string, unknown> = (raw ? raw.properties.headers : undefined) ?? {};
      expect(parseTraceparent(String(headers.traceparent))?.traceId).toBe(TRACE_ID);
    } finally {
      await admin.deleteQueue(queue);
      await admin.close();
    }
  });
});

describe.skipIf(!nats)('NATS traceparent propagation', () => {
  it('outbound carries the child traceparent in the msg headers', async () => {
    const id = randomUUID().replace(/-/g, '');
    const names = { stream: `LOOM_TEST_${id}`, subject: `loomtest.${id}` };
    const out = natsConnector.outbound!(natsConnector.schema.parse({ servers: NATS_SERVER, ...names, ensureStream: true }), ctx);
    closers.push(out);
    try {
      expect((await out.deliver(req('m-n', { traceparent: PARENT }))).status).toBe('delivered');
      const stored = await jsm.streams.getMessage(names.stream, { seq: 1 });
      expect(parseTraceparent(stored?.header.get('traceparent'))?.traceId).toBe(TRACE_ID);
    } finally {
      await jsm.streams.delete(names.stream).catch(() => undefined);
    }
  });
});
