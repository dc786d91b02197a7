// Loom's FHIR store end to end: fhir-store connector → SQLite → /fhir/R4 over real HTTP, and
// rest-hook Subscriptions notified over real HTTP.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Bundle, OperationOutcome, Resource, Subscription } from '@medplum/fhirtypes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enableSubscriptions, fhirRoutes, fhirStoreConnector, openFhirRepository, type FhirRepository } from '../../src/fhir-server/index.js';
import type { ConnectorContext, DeliveryResult, OutboundConnector } from '../../src/kernel/connector.js';
import { silentLogger, systemClock } from '../../src/kernel/ports.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(repoRoot, '../shared/corpus/fhir/r4');
const hasCorpus = existsSync(path.join(corpusDir, 'Procedure-example-implant.json'));
if (!hasCorpus) console.warn(`[fhir-server.test] corpus not found at ${corpusDir}: corpus cases skipped`);
const corpus = (name: string): Resource => JSON.parse(readFileSync(path.join(corpusDir, name), 'utf8')) as Resource;

async function waitFor<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Hook { headers: IncomingHttpHeaders; body: string }

let dir: string;
let repo: FhirRepository;
let out: OutboundConnector;
let server: ServerType;
let base: string;
let hookServer: Server;
let hookUrl: string;
let hooks: Hook[];

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'loom-fhir-'));
  repo = openFhirRepository({ dataDir: dir });
  const app = fhirRoutes(repo, { attempts: 2, backoffMs: 10, timeoutMs: 2_000 });
  const context: ConnectorContext = { logger: silentLogger, clock: systemClock, resolvePath: (p) => path.resolve(dir, p) };
  out = fhirStoreConnector.outbound!(fhirStoreConnector.schema.parse({ dataDir: dir }), context);
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/R4`;
  hooks = [];
  hookServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
});

afterEach(async () => {
  await enableSubscriptions(repo).idle();
  await new Promise<void>((r) => server.close(() => r()));
  await new Promise<void>((r) => hookServer.close(() => r()));
  await out.close();
  repo.close();
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
function deliver(resource: unknown): Promise<DeliveryResult> {
  seq += 1;
  return out.deliver({
    messageId: `m${seq}`, destination: 'fhir', idempotencyKey: `k${seq}`, attempt: 1, headers: {},
    contentType: 'application/fhir+json', payload: new TextEncoder().encode(JSON.stringify(resource)),
  });
}

async function get<T>(p: string): Promise<{ status: number; type: string; body: T }> {
  const res = await fetch(p.startsWith('http') ? p : `${base}${p}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as T };
}

const ids = (b: Bundle): string[] => (b.entry ?? []).map((e) => e.resource?.id ?? '').sort();

const procedure = (id: string, patient: string, extra: Record<string, unknown> = {}): Resource => ({
  resourceType: 'Procedure', id, status: 'completed', subject: { reference: `Patient/${patient}` },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '25267002' }] }, ...extra,
} as Resource);

describe('fhir-store connector and read', () => {
  it.skipIf(!hasCorpus)('stores corpus Procedure, Device, Encounter; same content keeps the version, changed content bumps it', async () => {
    // The store refuses unresolved references, so the resources the corpus examples point at
    // (Organization/1 ← Patient/example, Practitioner/example, Device/example-pacemaker) go in first.
    for (const f of ['Organization-1.json', 'Patient-example.json', 'Practitioner-example.json']) expect((await deliver(corpus(f))).status).toBe('delivered');
    expect((await deliver({ resourceType: 'Device', id: 'example-pacemaker', status: 'active' })).status).toBe('delivered');
    for (const f of ['Procedure-example-implant.json', 'Device-example.json', 'Encounter-example.json']) {
      const r = await deliver(corpus(f));
      expect(r.status, `${f}: ${r.status === 'delivered' ? '' : r.error.describe()}`).toBe('delivered');
    }
    const read = await get<Resource>('/Procedure/example-implant');
    expect(read.status).toBe(200);
    expect(read.type).toContain('application/fhir+json');
    expect(read.body.meta?.versionId).toBe('1');
    expect((await get<Resource>('/Device/example')).body.resourceType).toBe('Device');
    expect((await get<Resource>('/Encounter/example')).status).toBe(200);

    const again = await deliver(corpus('Procedure-example-implant.json'));
    expect(again.status).toBe('delivered');
    expect((await get<Resource>('/Procedure/example-implant')).body.meta).toEqual(read.body.meta);

    await deliver({ ...corpus('Procedure-example-implant.json'), status: 'entered-in-error' });
    const v2 = await get<Resource & { status: string }>('/Procedure/example-implant');
    expect(v2.body.meta?.versionId).toBe('2');
    expect(v2.body.status).toBe('entered-in-error');
  });

  it('validates with validateFhir before storing: invalid → failed with the issues, nothing stored', async () => {
    const r = await deliver({ resourceType: 'Procedure', id: 'bad', status: 'not-a-status', subject: { reference: 'Patient/1' }, bogus: 1 });
    expect(r.status).toBe('failed');
    if (r.status !== 'failed') return;
    expect(r.error.code).toBe('fhir-store.validation.failed');
    const issues = JSON.parse(r.response ?? '[]') as { code: string; location?: string }[];
    expect(issues.length).toBeGreaterThanOrEqual(1);
    expect(issues.some((i) => (i.location ?? '').includes('Procedure'))).toBe(true);
    expect((await get<OperationOutcome>('/Procedure/bad')).status).toBe(404);
    expect((await deliver('not a resource')).status).toBe('failed');
  });

  it('stores the entries of a transaction Bundle, resolving urn:uuid references', async () => {
    const pUrn = 'urn:uuid:6e1f1c3a-1b5e-4b2a-9d0e-000000000001';
    const r = await deliver({
      resourceType: 'Bundle', type: 'transaction', entry: [
        { fullUrl: pUrn, resource: { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: '42' }] }, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Device', status: 'active', patient: { reference: pUrn } }, request: { method: 'PUT', url: 'Device/dev-1' } },
      ],
    });
    expect(r.status).toBe('delivered');
    const dev = await get<Resource & { patient: { reference: string } }>('/Device/dev-1');
    expect(dev.body.patient.reference).toBe('Patient/6e1f1c3a-1b5e-4b2a-9d0e-000000000001');
    expect((await get<Bundle>('/Device?patient=6e1f1c3a-1b5e-4b2a-9d0e-000000000001')).body.total).toBe(1);
  });

  it('refuses a resource whose reference does not resolve, with an OperationOutcome naming the element', async () => {
    const r = await deliver({ resourceType: 'Encounter', id: 'orphan', status: 'finished', class: { code: 'IMP' }, subject: { reference: 'Patient/nobody' } });
    expect(r.status).toBe('failed');
    if (r.status !== 'failed') return;
    expect([r.error.code, r.error.location]).toEqual(['fhir.reference.unresolved', 'Encounter.subject.reference']);
    const outcome = JSON.parse(r.response ?? '{}') as OperationOutcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]?.diagnostics).toContain('Patient/nobody');
    expect((await get<OperationOutcome>('/Encounter/orphan')).status).toBe(404);
    // a transaction is all or nothing: the resolvable entry of a refused bundle is not stored either
    const bundle = await deliver({ resourceType: 'Bundle', type: 'transaction', entry: [
      { resource: { resourceType: 'Patient', id: 'fine' }, request: { method: 'PUT', url: 'Patient/fine' } },
      { resource: { resourceType: 'Device', id: 'dangling', status: 'active', patient: { reference: 'Patient/absent' } }, request: { method: 'PUT', url: 'Device/dangling' } },
    ] });
    expect(bundle.status).toBe('failed');
    expect((await get<OperationOutcome>('/Patient/fine')).status).toBe(404);
  });

  it('_history lists every version newest first and vread serves each one', async () => {
    seedTargets('Patient/h1');
    await deliver({ resourceType: 'Device', id: 'hist', status: 'active', patient: { reference: 'Patient/h1' } });
    await deliver({ resourceType: 'Device', id: 'hist', status: 'active', patient: { reference: 'Patient/h1' } }); // same content: no new version
    await deliver({ resourceType: 'Device', id: 'hist', status: 'inactive', patient: { reference: 'Patient/h1' } });
    const h = await get<Bundle>('/Device/hist/_history');
    expect([h.status, h.body.type, h.body.total]).toEqual([200, 'history', 2]);
    expect(h.body.entry?.map((e) => [e.resource?.meta?.versionId, (e.resource as { status?: string }).status, e.response?.status])).toEqual([['2', 'inactive', '200'], ['1', 'active', '201']]);
    const v1 = await get<Resource & { status: string }>('/Device/hist/_history/1');
    expect([v1.status, v1.body.status, v1.body.meta?.versionId]).toEqual([200, 'active', '1']);
    expect((await get<OperationOutcome>('/Device/hist/_history/9')).status).toBe(404);
    expect((await get<OperationOutcome>('/Device/never/_history')).status).toBe(404);
  });

  it('an entry with ifNoneMatch * is created when absent and never overwrites a stored resource', async () => {
    const stub = (family: string) => ({ resourceType: 'Bundle', type: 'transaction', entry: [
      { resource: { resourceType: 'Patient', id: 'p-stub', name: [{ family }] }, request: { method: 'PUT', url: 'Patient/p-stub', ifNoneMatch: '*' } },
      { resource: { resourceType: 'Device', id: 'dev-stub', status: 'active', patient: { reference: 'Patient/p-stub' } }, request: { method: 'PUT', url: 'Device/dev-stub' } },
    ] });
    expect((await deliver(stub('FIRST'))).status).toBe('delivered');
    expect((await deliver(stub('SECOND'))).status).toBe('delivered');
    const p = await get<Resource & { name: { family: string }[] }>('/Patient/p-stub');
    expect([p.body.name[0]?.family, p.body.meta?.versionId]).toEqual(['FIRST', '1']);
  });

  it('answers 404 with an OperationOutcome, and refuses unknown search parameters', async () => {
    const nf = await get<OperationOutcome>('/Device/nope');
    expect(nf.status).toBe(404);
    expect(nf.type).toContain('application/fhir+json');
    expect(nf.body.resourceType).toBe('OperationOutcome');
    expect(nf.body.issue[0]?.code).toBe('not-found');
    expect(nf.body.issue[0]?.diagnostics).toContain('Device/nope');
    const bad = await get<OperationOutcome>('/Device?color=red');
    expect(bad.status).toBe(400);
    expect(bad.body.issue[0]?.code).toBe('not-supported');
    expect((await get<OperationOutcome>('/Device?_lastUpdated=yesterday')).body.issue[0]?.code).toBe('invalid');
  });

  it('serves a CapabilityStatement listing types and search parameters', async () => {
    const cs = await get<{ resourceType: string; rest: { resource: { type: string; searchParam?: { name: string }[] }[] }[] }>('/metadata');
    expect(cs.body.resourceType).toBe('CapabilityStatement');
    const types = cs.body.rest[0]!.resource.map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(['Procedure', 'Device', 'Encounter', 'Subscription']));
    const params = cs.body.rest[0]!.resource.find((r) => r.type === 'Procedure')!.searchParam!.map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['_id', '_lastUpdated', 'patient', 'subject', 'encounter', 'identifier', 'status', 'code']));
  });
});

/** Stores a bare resource for each `Type/id`, so that resources referencing them may be stored. */
function seedTargets(...refs: string[]): void {
  for (const ref of refs) {
    const [resourceType, id] = ref.split('/');
    repo.upsert({ resourceType, id } as Resource, new Date('2023-12-01T00:00:00Z'));
  }
}

describe('search', () => {
  beforeEach(async () => {
    const t0 = new Date('2024-01-01T00:00:00Z');
    seedTargets('Patient/a', 'Patient/b', 'Encounter/e1', 'Group/a');
    repo.upsert(procedure('p1', 'a', { encounter: { reference: 'Encounter/e1' }, identifier: [{ system: 'urn:case', value: 'C-1' }] }), t0);
    repo.upsert(procedure('p2', 'b', { status: 'in-progress', code: { coding: [{ system: 'urn:local', code: 'X9' }] } }), new Date('2024-02-01T00:00:00Z'));
    repo.upsert(procedure('p3', 'a', { subject: { reference: 'Group/a' } }), new Date('2024-03-01T00:00:00Z'));
    expect((await deliver({ resourceType: 'Device', id: 'd1', status: 'active' })).status).toBe('delivered');
  });

  it.each([
    ['_id=p1,p3', ['p1', 'p3']],
    ['_lastUpdated=ge2024-02-01', ['p2', 'p3']],
    ['_lastUpdated=le2024-02-01T00:00:00Z', ['p1', 'p2']],
    ['_lastUpdated=gt2024-01-15&_lastUpdated=lt2024-02-15', ['p2']],
    ['patient=Patient/a', ['p1']],
    ['patient=b', ['p2']],
    ['subject=Group/a', ['p3']],
    ['subject=a', ['p1', 'p3']],
    ['encounter=Encounter/e1', ['p1']],
    ['encounter=e1', ['p1']],
    ['identifier=urn:case|C-1', ['p1']],
    ['identifier=C-1', ['p1']],
    ['identifier=urn:other|C-1', []],
    ['status=completed', ['p1', 'p3']],
    ['status=in-progress,completed', ['p1', 'p2', 'p3']],
    ['code=http://snomed.info/sct|25267002', ['p1', 'p3']],
    ['code=X9', ['p2']],
    ['code=urn:local|25267002', []],
    ['patient=a&status=completed', ['p1']],
  ])('Procedure?%s', async (query, expected) => {
    const res = await get<Bundle>(`/Procedure?${query}`);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('searchset');
    expect(res.body.total).toBe(expected.length);
    expect(ids(res.body)).toEqual(expected);
  });

  it('_include follows the matches\' references and _revinclude adds what points at them (search.mode include)', async () => {
    const inc = (await get<Bundle>('/Procedure?_id=p1&_include=Procedure:patient&_include=Procedure:encounter')).body;
    expect(inc.total).toBe(1);
    expect(inc.entry?.map((e) => [`${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`, e.search?.mode])).toEqual([['Procedure/p1', 'match'], ['Patient/a', 'include'], ['Encounter/e1', 'include']]);
    const rev = (await get<Bundle>('/Patient?_id=a,b&_revinclude=Procedure:patient')).body;
    expect(rev.entry?.filter((e) => e.search?.mode === 'include').map((e) => e.resource?.id).sort()).toEqual(['p1', 'p2']);
    const bad = await get<OperationOutcome>('/Procedure?_include=Procedure:performer');
    expect([bad.status, bad.body.issue[0]?.code]).toEqual([400, 'not-supported']);
  });

  it('pages with _count and Bundle.link next until every match was seen once', async () => {
    for (let i = 0; i < 5; i++) repo.upsert({ resourceType: 'Device', id: `pg${i}`, status: 'inactive' } as Resource);
    const seen: string[] = [];
    let url: string | undefined = `${base}/Device?status=inactive&_count=2`;
    let pages = 0;
    while (url) {
      const page: Bundle = (await get<Bundle>(url)).body;
      expect(page.total).toBe(5);
      expect((page.entry ?? []).length).toBeLessThanOrEqual(2);
      seen.push(...ids(page));
      url = page.link?.find((l) => l.relation === 'next')?.url;
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['pg0', 'pg1', 'pg2', 'pg3', 'pg4']);
  });
});

describe('Subscription rest-hook', () => {
  async function subscribe(criteria: string, endpoint: string, payload?: string): Promise<Subscription> {
    const res = await fetch(`${base}/Subscription`, {
      method: 'POST', headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Subscription', status: 'requested', reason: 'test', criteria,
        channel: { type: 'rest-hook', endpoint, header: ['Authorization: Bearer t0k'], ...(payload ? { payload } : {}) },
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toContain('/Subscription/');
    return (await res.json()) as Subscription;
  }

  it('notifies a matching upsert (with headers and payload) and not a non-matching one', async () => {
    seedTargets('Patient/999', 'Patient/123');
    const sub = await subscribe('Procedure?patient=Patient/123', hookUrl, 'application/fhir+json');
    expect(sub.status).toBe('active');
    expect((await get<Subscription>(`/Subscription/${sub.id ?? ''}`)).body.criteria).toBe('Procedure?patient=Patient/123');

    expect((await deliver(procedure('other', '999'))).status).toBe('delivered');
    expect((await deliver({ resourceType: 'Device', id: 'dx', status: 'active', patient: { reference: 'Patient/123' } })).status).toBe('delivered');
    expect((await deliver(procedure('mine', '123'))).status).toBe('delivered');
    await waitFor(() => hooks.length, (n) => n >= 1, 'the notification');
    await enableSubscriptions(repo).idle();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.headers.authorization).toBe('Bearer t0k');
    expect((JSON.parse(hooks[0]!.body) as Resource).id).toBe('mine');

    // same content again: no new version, so no new notification
    await deliver(procedure('mine', '123'));
    await enableSubscriptions(repo).idle();
    expect(hooks).toHaveLength(1);
  });

  it('sends an empty body when channel.payload is absent', async () => {
    await subscribe('Device?status=active', hookUrl);
    await deliver({ resourceType: 'Device', id: 'd9', status: 'active' });
    await waitFor(() => hooks.length, (n) => n === 1, 'the notification');
    expect(hooks[0]!.body).toBe('');
  });

  it('marks the Subscription error with the reason when the endpoint keeps failing', async () => {
    const dead = createServer((_req, res) => res.writeHead(500).end());
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/`;
    try {
      const sub = await subscribe('Device?status=active', url);
      await deliver({ resourceType: 'Device', id: 'd8', status: 'active' });
      const after = await waitFor(() => get<Subscription>(`/Subscription/${sub.id ?? ''}`), (r) => r.body.status === 'error', 'status error');
      expect(after.body.error).toContain('HTTP 500');
      expect(after.body.error).toContain('2 attempts');
    } finally {
      await new Promise<void>((r) => dead.close(() => r()));
    }
  });

  it('refuses a Subscription with unusable criteria or channel', async () => {
    const res = await fetch(`${base}/Subscription`, {
      method: 'POST', headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Subscription', status: 'requested', reason: 'x', criteria: 'Procedure?colour=red', channel: { type: 'rest-hook', endpoint: hookUrl } }),
    });
    expect(res.status).toBe(400);
    const outcome = (await res.json()) as OperationOutcome;
    expect(outcome.issue[0]?.diagnostics).toContain('colour');
  });
});
