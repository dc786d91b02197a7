import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageTraceId, parseTraceparent } from '../../src/observability/index.js';
import { startTestLoom } from '../support/loom.js';
import { eventually } from '../support/receiver.js';

// An end-to-end trace: HTTP in with (and without) a W3C traceparent → steps → HTTP delivery, with
// a node:http server playing the OTLP collector (OTLP/HTTP JSON at /v1/traces).

const INBOUND_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const INBOUND_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${INBOUND_TRACE}-${INBOUND_SPAN}-01`;

interface OtlpValue { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean }
interface OtlpAttribute { key: string; value: OtlpValue }
interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: OtlpAttribute[]; events?: Array<{ name: string; attributes: OtlpAttribute[] }>; status?: { code?: number } }
interface OtlpExport { resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }> }

interface Peer { url: string; requests: Array<{ path: string; headers: IncomingHttpHeaders; body: string }>; close(): Promise<void> }

/** A node:http server recording each request (the OTLP collector, and the downstream system). */
async function recordingPeer(): Promise<Peer> {
  const requests: Peer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

const attr = (list: OtlpAttribute[] | undefined, key: string): string | number | boolean | undefined => {
  const v = list?.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : undefined) ?? v?.doubleValue ?? v?.boolValue;
};

const channels = (downstream: string) => `  - name: orders
    inbound: { kind: http }
    contentType: json
    steps: [{ use: json-keys }]
    destinations:
      - { name: erp, kind: http, url: ${downstream}/orders }
  - name: batch
    inbound: { kind: http }
    contentType: text
    steps: [{ use: split, with: { separator: ";" } }]
    destinations:
      - { name: erp, kind: http, url: ${downstream}/batch }
`;

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${url}/api/v1/channels/orders/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  expect(response.status).toBe(202);
  return ((await response.json()) as { messageId: string }).messageId;
}

describe('OTLP trace export, configured', () => {
  let collector: Peer;
  let erp: Peer;
  let spans: Array<OtlpSpan & { service: unknown }>;
  let traced: string;
  let untraced: string;
  let batch: string;

  beforeAll(async () => {
    collector = await recordingPeer();
    erp = await recordingPeer();
    const { loom } = await startTestLoom(channels(erp.url), {
      header: `store: { dataDir: ./data }
observability:
  tracing:
    otlp: { endpoint: "${collector.url}", serviceName: loom-e2e, headers: { authorization: "Bearer \${env:OTLP_TOKEN}" } }`,
      env: { OTLP_TOKEN: 'tok-123' },
    });
    let delivered = 0;
    loom.engine.events.on('delivered', () => void delivered++);
    traced = await post(loom.url, { orderId: 'PO-1' }, { traceparent: TRACEPARENT, tracestate: 'vendor=1' });
    untraced = await post(loom.url, { orderId: 'PO-2' });
    const response = await fetch(`${loom.url}/api/v1/channels/batch/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'PART-A;PART-B' });
    expect(response.status).toBe(202);
    batch = ((await response.json()) as { messageId: string }).messageId;
    await eventually(() => delivered === 4, 15_000, 'four deliveries (two orders, two batch parts)');
    // Stopping flushes the batch processor: the spans reach the collector before stop() resolves.
    await loom.stop();
    const exports = collector.requests.filter((r) => r.path === '/v1/traces').map((r) => JSON.parse(r.body) as OtlpExport);
    spans = exports.flatMap((e) => e.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, service: attr(rs.resource.attributes, 'service.name') })))));
  }, 30_000);

  afterAll(async () => {
    await collector?.close();
    await erp?.close();
  });

  it('exports OTLP/HTTP JSON to <endpoint>/v1/traces with the configured headers and service.name', () => {
    const exportRequests = collector.requests.filter((r) => r.path === '/v1/traces');
    expect(exportRequests.length).toBeGreaterThan(0);
    expect(exportRequests[0].headers['content-type']).toContain('application/json');
    expect(exportRequests[0].headers.authorization).toBe('Bearer tok-123');
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['loom-e2e']));
  });

  it('a message with a traceparent: message span, steps and delivery share the inbound trace id, and so does the downstream call', () => {
    const mine = spans.filter((s) => attr(s.attributes, 'loom.message_id') === traced);
    const message = mine.find((s) => s.name === 'loom.message orders');
    const delivery = mine.find((s) => s.name === 'loom.deliver erp');
    expect(message, 'message span').toBeDefined();
    expect(delivery, 'delivery span').toBeDefined();
    expect(message!.traceId).toBe(INBOUND_TRACE);
    expect(message!.parentSpanId).toBe(INBOUND_SPAN);
    expect(message!.events?.map((e) => e.name)).toEqual(['step json-keys']);
    expect(attr(message!.events?.[0].attributes, 'loom.step.status')).toBe('ok');
    expect(attr(message!.attributes, 'loom.channel')).toBe('orders');
    expect(attr(message!.attributes, 'loom.outcome')).toBe('processed');
    expect(delivery!.traceId).toBe(INBOUND_TRACE);
    expect(delivery!.parentSpanId).toBe(message!.spanId);
    expect(attr(delivery!.attributes, 'loom.outcome')).toBe('delivered');
    expect(attr(delivery!.attributes, 'loom.attempt')).toBe(1);
    const call = erp.requests.find((r) => r.body.includes('PO-1'));
    expect(parseTraceparent(String(call?.headers.traceparent))?.traceId).toBe(INBOUND_TRACE);
    expect(call?.headers.tracestate).toBe('vendor=1');
  });

  it('a message without a traceparent: one trace whose id derives from the message id, the same the downstream system sees', () => {
    const mine = spans.filter((s) => attr(s.attributes, 'loom.message_id') === untraced);
    expect(mine.map((s) => s.name).sort()).toEqual(['loom.deliver erp', 'loom.message orders']);
    const message = mine.find((s) => s.name === 'loom.message orders')!;
    expect(message.parentSpanId ?? '').toBe(''); // a root span, no dangling parent
    expect(message.events?.map((e) => e.name)).toEqual(['step json-keys']);
    const call = erp.requests.find((r) => r.body.includes('PO-2'));
    const downstream = parseTraceparent(String(call?.headers.traceparent))?.traceId;
    expect(downstream).toBe(messageTraceId(untraced));
    for (const s of mine) expect(s.traceId).toBe(downstream);
    expect(message.traceId).not.toBe(INBOUND_TRACE);
  });

  it('split children (process effects are split children) stay in their parent message\'s trace', () => {
    const parentTrace = messageTraceId(batch);
    const calls = erp.requests.filter((r) => r.path === '/batch');
    expect(calls.map((c) => c.body).sort()).toEqual(['PART-A', 'PART-B']);
    for (const c of calls) expect(parseTraceparent(String(c.headers.traceparent))?.traceId).toBe(parentTrace);
    const deliveries = spans.filter((s) => s.name === 'loom.deliver erp' && attr(s.attributes, 'loom.channel') === 'batch');
    expect(deliveries).toHaveLength(2);
    for (const d of deliveries) expect(d.traceId).toBe(parentTrace);
  });

  it('shutdown unregistered the tracer provider', () => {
    expect(trace.getTracer('loom').startSpan('probe').isRecording()).toBe(false);
  });
});

describe('OTLP trace export, not configured (the default)', () => {
  it('registers nothing: spans stay no-ops, the downstream still gets a traceparent', async () => {
    const erp = await recordingPeer();
    const { loom } = await startTestLoom(channels(erp.url));
    try {
      expect(loom.config.observability).toBeUndefined();
      const probe = trace.getTracer('loom').startSpan('probe');
      expect(probe.isRecording()).toBe(false);
      expect(probe.spanContext().traceId).toBe('0'.repeat(32));
      const id = await post(loom.url, { orderId: 'PO-3' });
      await eventually(() => erp.requests.length === 1, 15_000, 'the delivery');
      expect(parseTraceparent(String(erp.requests[0].headers.traceparent))?.traceId).toBe(messageTraceId(id));
    } finally {
      await loom.stop();
      await erp.close();
    }
  });
});
