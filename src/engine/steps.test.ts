import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../kernel/index.js';
import { parseHl7v2 } from '../codecs/index.js';
import { StepRegistry, readPath } from './steps.js';
import type { StepContext } from './types.js';

function ctx(json: unknown): StepContext {
  const payload = new TextEncoder().encode(JSON.stringify(json));
  return {
    envelope: { id: '1', correlationId: '1', sourceSystem: 's', channel: 'c', contentType: 'application/json', receivedAt: '', headers: {} },
    payload, contentType: 'application/json', text: () => new TextDecoder().decode(payload), parsed: () => json,
    setKey: () => undefined, setOrderingKey: () => undefined, setCorrelationId: () => undefined, setEffectKey: () => undefined,
    data: { mrn: 'M 1' }, logger: silentLogger,
  };
}
const services = { mappings: new Map() };
const reg = new StepRegistry();

let server: http.Server;
let base = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/slow')) return; // never answers: the step must time out
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ url: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('built-in steps', () => {
  it('reads dotted paths', () => {
    expect(readPath({ a: { b: [{ c: 3 }] } }, 'a.b.0.c')).toBe(3);
    expect(readPath({ a: 1 }, 'a.b')).toBeUndefined();
  });

  it('filter drops what does not match', async () => {
    const f = reg.build('filter', { when: { path: 'type', in: ['A01', 'A03'] } }, services, 'w');
    expect(await f(ctx({ type: 'A01' }))).toBeUndefined();
    expect(await f(ctx({ type: 'A08' }))).toEqual({ drop: 'filtered' });
  });

  it('filter reads HL7 fields by codec path and negates with not', async () => {
    const adt = parseHl7v2('MSH|^~\\&|EHR|MAIN|LIS|LAB|202612050800||ADT^A01|C1|P|2.5.1\rPID|1||MRN7^^^MAIN^MR||DOE^JANE\r');
    const withHl7 = (parsed: unknown) => ({ ...ctx({}), parsed: () => parsed });
    const adtOnly = reg.build('filter', { when: { field: 'MSH-9.1', in: ['ADT'] } }, services, 'w');
    expect(await adtOnly(withHl7(adt))).toBeUndefined();
    const notAdt = reg.build('filter', { when: { field: 'MSH-9.1', in: ['ADT'], not: true } }, services, 'w');
    expect(await notAdt(withHl7(adt))).toEqual({ drop: 'filtered' });
    const hasMrn = reg.build('filter', { when: { field: 'PID-3.1', exists: true } }, services, 'w');
    expect(await hasMrn(withHl7(adt))).toBeUndefined();
    const hasPv1 = reg.build('filter', { when: { field: 'PV1-19', exists: true } }, services, 'w');
    expect(await hasPv1(withHl7(adt))).toEqual({ drop: 'filtered' });
    // A JSON message has no codec paths: a field never exists there.
    expect(await hasMrn(ctx({ PID: 'x' }))).toEqual({ drop: 'filtered' });
  });

  it('route picks the first match, all matches with `all`, else otherwise', async () => {
    const routes = [{ when: { path: 'site', equals: 'A' }, to: ['a'] }, { when: { path: 'urgent', equals: true }, to: ['pager'] }];
    const first = reg.build('route', { routes, otherwise: ['archive'] }, services, 'w');
    const all = reg.build('route', { routes, all: true }, services, 'w');
    expect(await first(ctx({ site: 'A', urgent: true }))).toEqual({ destinations: ['a'] });
    expect(await all(ctx({ site: 'A', urgent: true }))).toEqual({ destinations: ['a', 'pager'] });
    expect(await first(ctx({ site: 'B' }))).toEqual({ destinations: ['archive'] });
  });

  it('enrich fetches JSON into ctx.data and times out with a LoomError', async () => {
    const c = ctx({});
    await reg.build('enrich', { url: `${base}/patients/{mrn}`, as: 'patient' }, services, 'w')(c);
    expect(c.data.patient).toEqual({ url: '/patients/M%201' });
    const slow = reg.build('enrich', { url: `${base}/slow`, timeoutMs: 100 }, services, 'w');
    await expect(slow(ctx({}))).rejects.toMatchObject({ code: 'engine.enrich.unreachable' });
  });

  it('names the unknown step and mapping', () => {
    expect(() => reg.build('nope', {}, services, 'channels.x.steps[0]')).toThrow(/nope/);
    expect(() => reg.build('translate', { mapping: 'missing' }, services, 'w')).toThrow(/missing/);
  });
});
