import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpIntakeHandler, httpConnector, HttpInbound, HttpOutbound } from '../../src/connectors/http/index.js';
import { RecordingIntake } from '../../src/connectors/shared/index.js';
import type { DeliveryRequest } from '../../src/kernel/connector.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';

const ctx = { logger: silentLogger, clock: systemClock, resolvePath: (p: string) => p };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

function request(body: string, key = 'k-1'): DeliveryRequest {
  return { messageId: 'm1', destination: 'erp', idempotencyKey: key, payload: Buffer.from(body), contentType: 'application/json', headers: {}, attempt: 1 };
}

/** A real peer on 127.0.0.1:0 whose answer each test scripts. */
async function peer(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/post`, server };
}

async function startInbound(intake: RecordingIntake, maxBytes = 1024): Promise<HttpInbound> {
  const inbound = httpConnector.inbound!(httpConnector.schema.parse({ channel: 'lab', port: 0, path: '/in', maxBytes }), ctx) as HttpInbound;
  await inbound.start(intake);
  cleanups.push(() => inbound.stop());
  return inbound;
}

describe('http inbound (standalone listener, real sockets)', () => {
  it('answers 202 with the message id after the receipt, 200 duplicate on resend', async () => {
    const intake = new RecordingIntake();
    const inbound = await startInbound(intake);
    const first = await fetch(inbound.address(), { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(first.status).toBe(202);
    const body = (await first.json()) as { messageId: string };
    expect(body.messageId).toBe(intake.stored[0]!.messageId);
    expect(intake.stored[0]!.request.contentType).toBe('application/json');
    const again = await fetch(inbound.address(), { method: 'POST', body: '{"a":1}' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ messageId: body.messageId, duplicate: true });
    expect(intake.stored).toHaveLength(1);
  });

  it('takes the sender from the channel, not from a client\'s x-loom-source header (the sender scopes duplicates)', async () => {
    const intake = new RecordingIntake();
    const configured = createHttpIntakeHandler(intake, 'lab', { maxBytes: 1024, sourceSystem: 'lis' });
    const spoof = { method: 'POST', body: 'a', headers: { 'x-loom-source': 'someone-else' } };
    expect((await configured(new Request('http://loom/in', spoof))).status).toBe(202);
    expect(intake.stored[0]!.request.sourceSystem).toBe('lis');
    const unconfigured = createHttpIntakeHandler(intake, 'lab', { maxBytes: 1024 });
    expect((await unconfigured(new Request('http://loom/in', { ...spoof, body: 'b' }))).status).toBe(202);
    expect(intake.stored[1]!.request.sourceSystem).toBe('someone-else');
  });

  it('answers 422 problem+json naming the errors when rejected', async () => {
    const intake = new RecordingIntake({ decide: () => ({ outcome: 'rejected', errors: [{ code: 'csv.header.missing', message: 'no header row' }] }) });
    const inbound = await startInbound(intake);
    const res = await fetch(inbound.address(), { method: 'POST', body: 'x' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { code: string; errors: unknown[] };
    expect(problem.code).toBe('csv.header.missing');
    expect(problem.errors).toHaveLength(1);
  });

  it('answers 413 for an oversize body without calling the intake', async () => {
    const intake = new RecordingIntake();
    const inbound = await startInbound(intake, 100);
    const res = await fetch(inbound.address(), { method: 'POST', body: 'x'.repeat(101) });
    expect(res.status).toBe(413);
    expect(intake.calls).toBe(0);
  });

  it('answers 503 when the store refused, storing nothing', async () => {
    const intake = new RecordingIntake();
    intake.refuse = true;
    const inbound = await startInbound(intake);
    const res = await fetch(inbound.address(), { method: 'POST', body: 'x' });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('store.unavailable');
    expect(intake.stored).toHaveLength(0);
  });
});

describe('http outbound against a real peer', () => {
  it('delivers on 2xx and sends Idempotency-Key, auth and content type', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const { url } = await peer((req, res) => { seen = req.headers; req.resume(); req.on('end', () => res.writeHead(201).end('ok')); });
    const out = httpConnector.outbound!(httpConnector.schema.parse({ url, auth: { value: 'Bearer s3cret' } }), ctx);
    expect(await out.deliver(request('{}', 'erp:INV-9'))).toEqual({ status: 'delivered', response: 'ok' });
    expect(seen['idempotency-key']).toBe('erp:INV-9');
    expect(seen.authorization).toBe('Bearer s3cret');
    expect(seen['content-type']).toBe('application/json');
  });

  it.each([[500, 'retry'], [503, 'retry'], [429, 'retry'], [408, 'retry'], [400, 'failed'], [404, 'failed'], [409, 'failed']])('maps %i to %s', async (status, expected) => {
    const { url } = await peer((req, res) => { req.resume(); res.writeHead(status).end(`reason ${status}`); });
    const result = await new HttpOutbound({ url, method: 'POST', headers: {}, timeoutMs: 5000 }).deliver(request('{}'));
    expect(result.status).toBe(expected);
    if (result.status !== 'delivered') expect(result.error.message).toContain(`reason ${status}`);
  });

  it('retries on timeout', async () => {
    const { url } = await peer(() => { /* never answers */ });
    const result = await new HttpOutbound({ url, method: 'POST', headers: {}, timeoutMs: 200 }).deliver(request('{}'));
    expect(result.status).toBe('retry');
    if (result.status === 'retry') expect(result.error.code).toBe('delivery.timeout');
  });

  it('retries when the connection is refused', async () => {
    const { url, server } = await peer(() => undefined);
    await new Promise<void>((r) => server.close(() => r()));
    const result = await new HttpOutbound({ url, method: 'POST', headers: {}, timeoutMs: 2000 }).deliver(request('{}'));
    expect(result.status).toBe('retry');
    if (result.status === 'retry') expect(result.error.code).toBe('delivery.unreachable');
  });
});
