import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectorKinds, fhirConnector, planFhirCall } from '../../src/connectors/index.js';
import type { DeliveryRequest } from '../../src/kernel/connector.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';

const ctx = { logger: silentLogger, clock: systemClock, resolvePath: (p: string) => p };
const servers: http.Server[] = [];
afterEach(async () => {
  while (servers.length) { const s = servers.pop()!; s.closeAllConnections(); await new Promise((r) => s.close(r)); }
});

interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

/** A scripted FHIR server on 127.0.0.1:0 recording what it received. */
async function fhirPeer(answer: (seen: Seen) => [number, unknown] | undefined): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(s);
      const a = answer(s);
      if (!a) return; // never answer: timeout
      res.writeHead(a[0], { 'content-type': 'application/fhir+json' }).end(JSON.stringify(a[1]));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/R4`, seen };
}

const req = (resource: unknown, key = 'k1'): DeliveryRequest => ({ messageId: 'm1', destination: 'ehr', idempotencyKey: key, payload: Buffer.from(JSON.stringify(resource)), contentType: 'application/fhir+json', headers: {}, attempt: 1 });
const patient = { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: 'M42' }], name: [{ family: 'Doe' }] };
const outcome = (text: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: text, expression: ['Patient.birthDate'] }] });

describe('fhir outbound against a real HTTP peer', () => {
  it('is registered with the other connector kinds', () => {
    expect(Object.keys(connectorKinds).sort()).toEqual(['amqp', 'channel', 'db-poll', 'fhir', 'fhir-poll', 'fhir-store', 'file', 'http', 'mllp', 'nats', 'sftp']);
  });

  it('conditional PUT by identifier with auth and Idempotency-Key → delivered', async () => {
    const peer = await fhirPeer(() => [200, patient]);
    const out = fhirConnector.outbound!(fhirConnector.schema.parse({ baseUrl: peer.base, auth: { value: 'Bearer t0k' } }), ctx);
    expect((await out.deliver(req(patient, 'ehr:M42'))).status).toBe('delivered');
    expect(peer.seen[0]).toMatchObject({ method: 'PUT', url: '/fhir/R4/Patient?identifier=urn%3Amrn%7CM42' });
    expect(peer.seen[0]!.headers.authorization).toBe('Bearer t0k');
    expect(peer.seen[0]!.headers['idempotency-key']).toBe('ehr:M42');
    expect(peer.seen[0]!.headers['content-type']).toBe('application/fhir+json');
  });

  it('PUT by id, transaction Bundle POST to the base, create with If-None-Exist', async () => {
    const peer = await fhirPeer(() => [201, {}]);
    const out = fhirConnector.outbound!(fhirConnector.schema.parse({ baseUrl: `${peer.base}/` }), ctx);
    await out.deliver(req({ resourceType: 'Observation', id: 'o1' }));
    await out.deliver(req({ resourceType: 'Bundle', type: 'transaction', entry: [] }));
    const create = fhirConnector.outbound!(fhirConnector.schema.parse({ baseUrl: peer.base, mode: 'create' }), ctx);
    await create.deliver(req(patient));
    expect(peer.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['PUT /fhir/R4/Observation/o1', 'POST /fhir/R4', 'POST /fhir/R4/Patient']);
    expect(peer.seen[2]!.headers['if-none-exist']).toBe('identifier=urn:mrn|M42');
  });

  it('4xx → failed with the OperationOutcome text; 5xx → retry', async () => {
    const bad = await fhirPeer(() => [422, outcome('birthDate is in the future')]);
    const failed = await fhirConnector.outbound!(fhirConnector.schema.parse({ baseUrl: bad.base }), ctx).deliver(req(patient));
    expect(failed.status).toBe('failed');
    if (failed.status === 'failed') expect(failed.error.message).toContain('error invalid at Patient.birthDate: birthDate is in the future');
    const down = await fhirPeer(() => [503, outcome('maintenance')]);
    expect((await fhirConnector.outbound!(fhirConnector.schema.parse({ baseUrl: down.base }), ctx).deliver(req(patient))).status).toBe('retry');
  });

  it('a batch response with a failed entry is judged by that entry', async () => {
    const peer = await fhirPeer(() => [200, { resourceType: 'Bundle', type: 'batch-response', entry: [{ response: { status: '201 Created' } }, { response: { status: '400 Bad Request' } }] }]);
    const result = await fhirConnector.outbound!(fhirConnector.schema.parse({ baseUrl: peer.base }), ctx).deliver(req({ resourceType: 'Bundle', type: 'batch', entry: [] }));
    expect(result.status).toBe('failed');
  });

  it('timeout → retry; a payload that is not a resource → failed without a call', async () => {
    const peer = await fhirPeer(() => undefined);
    const out = fhirConnector.outbound!(fhirConnector.schema.parse({ baseUrl: peer.base, timeoutMs: 200 }), ctx);
    const slow = await out.deliver(req(patient));
    expect(slow.status).toBe('retry');
    if (slow.status === 'retry') expect(slow.error.code).toBe('delivery.timeout');
    const junk = await out.deliver({ ...req(patient), payload: Buffer.from('MSH|^~\\&|') });
    expect(junk.status).toBe('failed');
    expect(peer.seen).toHaveLength(1);
    expect(() => planFhirCall('http://x', { resourceType: 'Patient' }, 'update')).toThrow(/neither id nor identifier/);
  });
});
