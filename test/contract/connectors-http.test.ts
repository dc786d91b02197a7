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

describe('http outbound with OAuth2 client credentials (real token endpoint and resource server)', () => {
  it('caches the token, fetches a new one when the old one is refused mid-run, and retries while the token endpoint is down', async () => {
    let issued = 0;
    let tokenEndpointUp = true;
    const idp = await peer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        if (!tokenEndpointUp) { res.writeHead(503).end(); return; }
        expect(new URLSearchParams(body).get('grant_type')).toBe('client_credentials');
        issued += 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `tok-${issued}`, token_type: 'Bearer', expires_in: 3600 }));
      });
    });
    let valid = 'tok-1';
    const seen: string[] = [];
    const erp = await peer((req, res) => {
      seen.push(String(req.headers.authorization));
      req.resume();
      res.writeHead(req.headers.authorization === `Bearer ${valid}` ? 201 : 401).end();
    });
    const out = httpConnector.outbound!(httpConnector.schema.parse({
      url: erp.url, oauth2: { tokenUrl: idp.url, clientId: 'loom', clientSecret: 'secret-1' },
    }), ctx) as HttpOutbound;
    cleanups.push(() => out.close());

    expect((await out.deliver(request('{"a":1}', 'k1'))).status).toBe('delivered');
    expect((await out.deliver(request('{"a":2}', 'k2'))).status).toBe('delivered');
    expect(issued).toBe(1); // cached

    valid = 'tok-2'; // the IdP revoked tok-1: the ERP answers 401 to it
    expect((await out.deliver(request('{"a":3}', 'k3'))).status).toBe('delivered');
    expect(issued).toBe(2);
    expect(seen.slice(-2)).toEqual(['Bearer tok-1', 'Bearer tok-2']);

    valid = 'tok-3';
    tokenEndpointUp = false; // and now the IdP is down: the delivery is retried, not dead-lettered
    const held = await out.deliver(request('{"a":4}', 'k4'));
    expect(held.status).toBe('retry');
    expect(held.status === 'retry' && held.error.code).toBe('oauth2.token.unavailable');
    tokenEndpointUp = true;
    expect((await out.deliver(request('{"a":4}', 'k4'))).status).toBe('delivered');
  });

  it('refuses a config giving both a fixed auth header and oauth2', () => {
    const parsed = httpConnector.schema.safeParse({ url: 'http://x/', auth: { value: 'k' }, oauth2: { tokenUrl: 'http://x/t', clientId: 'a', clientSecret: 'b' } });
    expect(parsed.success).toBe(false);
  });
});

describe('webhook signatures between an http outbound and an http inbound', () => {
  it('a signed delivery is accepted, a wrongly signed one is refused with 401 and nothing is stored', async () => {
    const intake = new RecordingIntake();
    const signature = { secret: 'shared-webhook-secret' };
    const inbound = httpConnector.inbound!(httpConnector.schema.parse({ channel: 'procurement', port: 0, path: '/hook', signature }), ctx) as HttpInbound;
    await inbound.start(intake);
    cleanups.push(() => inbound.stop());
    const good = httpConnector.outbound!(httpConnector.schema.parse({ url: inbound.address(), signature }), ctx);
    const bad = httpConnector.outbound!(httpConnector.schema.parse({ url: inbound.address(), signature: { secret: 'not-the-secret' } }), ctx);
    cleanups.push(() => good.close(), () => bad.close());
    expect((await good.deliver(request('{"req":"R-1"}'))).status).toBe('delivered');
    const refused = await bad.deliver(request('{"req":"R-2"}'));
    expect(refused.status).toBe('failed');
    expect(refused.status === 'failed' && refused.error.message).toContain('webhook.signature.invalid');
    const unsigned = await fetch(inbound.address(), { method: 'POST', body: '{"req":"R-3"}' });
    expect(unsigned.status).toBe(401);
    expect(intake.stored.map((s) => Buffer.from(s.request.payload).toString())).toEqual(['{"req":"R-1"}']);
  });
});
