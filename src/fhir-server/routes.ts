// Hono sub-app serving Loom's FHIR store at /fhir/R4 (read, search, metadata, Subscription).
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Bundle, CapabilityStatement, CapabilityStatementRestResource, Resource, Subscription } from '@medplum/fhirtypes';
import { validateFhir } from '../codecs/fhir/index.js';
import { LoomError, toLoomError } from '../kernel/errors.js';
import { operationOutcome, statusOf } from './outcome.js';
import type { FhirRepository } from './repository.js';
import { SEARCH_PARAMS } from './search.js';
import { enableSubscriptions, parseCriteria, type SubscriptionOptions } from './subscriptions.js';

/** The resource types Loom's mappings emit (canonical → FHIR), always listed in metadata. */
export const LOOM_FHIR_TYPES = ['ChargeItem', 'Device', 'Encounter', 'Location', 'Patient', 'Practitioner', 'Procedure', 'SupplyDelivery'] as const;

const FHIR_JSON = 'application/fhir+json';
const TYPE = /^[A-Z][A-Za-z]{1,63}$/;

function fhirJson(c: Context, body: unknown, status: 200 | 201 | 400 | 404 | 422 | 500 | 503 = 200, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': `${FHIR_JSON}; charset=utf-8`, ...headers });
}

function fail(c: Context, errors: LoomError[]): Response {
  const outcome = operationOutcome(errors);
  return fhirJson(c, outcome, statusOf(outcome.issue[0]?.code ?? 'invalid'));
}

const baseOf = (c: Context): string => `${new URL(c.req.url).origin}/fhir/R4`;

function checkType(type: string): void {
  if (!TYPE.test(type)) throw new LoomError('fhir.type.not-supported', `"${type}" is not a FHIR resource type`, { location: type });
}

function capability(repo: FhirRepository): CapabilityStatement {
  const types = [...new Set<string>([...LOOM_FHIR_TYPES, ...repo.types()])].filter((t) => t !== 'Subscription').sort();
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'Loom FHIR store' },
    fhirVersion: '4.0.1',
    format: [FHIR_JSON, 'json'],
    rest: [{
      mode: 'server',
      resource: [
        ...types.map((type): CapabilityStatementRestResource => ({
          type: type as CapabilityStatementRestResource['type'],
          interaction: [{ code: 'read' as const }, { code: 'vread' as const }, { code: 'history-instance' as const }, { code: 'search-type' as const }],
          searchParam: SEARCH_PARAMS.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
          // every reference search parameter may be followed (_include) or reversed (_revinclude)
          searchInclude: ['patient', 'subject', 'encounter'].map((p) => `${type}:${p}`),
          searchRevInclude: types.flatMap((source) => ['patient', 'subject', 'encounter'].map((p) => `${source}:${p}`)),
        })),
        { type: 'Subscription', interaction: [{ code: 'create' as const }, { code: 'read' as const }] },
      ],
    }],
  };
}

/** Validate and normalise a posted R4 rest-hook Subscription; the server makes it active. */
function acceptSubscription(body: unknown): Subscription {
  if (typeof body !== 'object' || body === null || (body as Resource).resourceType !== 'Subscription') {
    throw new LoomError('fhir.subscription.invalid', 'the body is not a Subscription resource', { location: 'Subscription', hint: 'POST {"resourceType":"Subscription", ...}' });
  }
  const sub = body as Subscription;
  parseCriteria(sub.criteria);
  if (sub.channel?.type !== 'rest-hook') {
    throw new LoomError('fhir.subscription.not-supported', `channel.type "${String(sub.channel?.type)}" is not supported`, { location: 'Subscription.channel.type', hint: 'use rest-hook' });
  }
  if (!/^https?:\/\//.test(sub.channel.endpoint ?? '')) {
    throw new LoomError('fhir.subscription.invalid', 'channel.endpoint must be an http(s) URL', { location: 'Subscription.channel.endpoint' });
  }
  const { meta: _m, ...rest } = sub;
  const accepted: Subscription = { ...rest, id: randomUUID(), status: 'active' };
  delete accepted.error;
  const validation = validateFhir(accepted);
  if (validation.errors.length > 0) throw new AggregateLoomError(validation.errors);
  return accepted;
}

class AggregateLoomError extends Error {
  constructor(readonly errors: LoomError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/**
 * The `/fhir/R4` endpoint over a FhirRepository; also starts its Subscription notifier.
 * @example app.route('/', fhirRoutes(openFhirRepository({ dataDir })));
 */
export function fhirRoutes(repo: FhirRepository, options: SubscriptionOptions = {}): Hono {
  enableSubscriptions(repo, options);
  const app = new Hono();
  app.onError((error, c) => fail(c, error instanceof AggregateLoomError ? error.errors : [toLoomError(error)]));

  app.get('/fhir/R4/metadata', (c) => fhirJson(c, capability(repo)));

  app.post('/fhir/R4/Subscription', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (cause) {
      throw new LoomError('fhir.json.invalid', `the body is not JSON: ${String(cause)}`, { cause });
    }
    const stored = repo.upsert(acceptSubscription(body)).resource;
    return fhirJson(c, stored, 201, { location: `${baseOf(c)}/Subscription/${stored.id ?? ''}/_history/${stored.meta?.versionId ?? '1'}` });
  });

  app.get('/fhir/R4/:type/:id/_history', (c) => {
    const { type, id } = c.req.param();
    checkType(type);
    const versions = repo.history(type, id);
    if (versions.length === 0) throw new LoomError('fhir.read.not-found', `${type}/${id} is not known`, { location: `${type}/${id}` });
    const base = baseOf(c);
    const history: Bundle = {
      resourceType: 'Bundle', type: 'history', total: versions.length,
      link: [{ relation: 'self', url: `${base}/${type}/${id}/_history` }],
      entry: versions.map((r, i) => ({
        fullUrl: `${base}/${type}/${id}`, resource: r,
        // every version was a PUT: the first created the resource, later ones updated it
        request: { method: 'PUT' as const, url: `${type}/${id}` },
        response: { status: i === versions.length - 1 ? '201' : '200', etag: `W/"${r.meta?.versionId ?? ''}"`, ...(r.meta?.lastUpdated ? { lastModified: r.meta.lastUpdated } : {}) },
      })),
    };
    return fhirJson(c, history);
  });

  app.get('/fhir/R4/:type/:id/_history/:vid', (c) => {
    const { type, id, vid } = c.req.param();
    checkType(type);
    const resource = /^\d{1,9}$/.test(vid) ? repo.readVersion(type, id, vid) : undefined;
    if (!resource) throw new LoomError('fhir.read.not-found', `${type}/${id} has no version ${vid}`, { location: `${type}/${id}/_history/${vid}`, hint: `see ${type}/${id}/_history` });
    return fhirJson(c, resource, 200, { etag: `W/"${resource.meta?.versionId ?? ''}"`, 'last-modified': new Date(resource.meta?.lastUpdated ?? 0).toUTCString() });
  });

  app.get('/fhir/R4/:type/:id', (c) => {
    const { type, id } = c.req.param();
    checkType(type);
    const resource = repo.read(type, id);
    if (!resource) throw new LoomError('fhir.read.not-found', `${type}/${id} is not known`, { location: `${type}/${id}` });
    return fhirJson(c, resource, 200, { etag: `W/"${resource.meta?.versionId ?? ''}"`, 'last-modified': new Date(resource.meta?.lastUpdated ?? 0).toUTCString() });
  });

  app.get('/fhir/R4/:type', (c) => {
    const type = c.req.param('type');
    checkType(type);
    return fhirJson(c, repo.search(type, new URL(c.req.url).searchParams, { baseUrl: baseOf(c) }));
  });

  app.all('/fhir/R4/*', (c) => fail(c, [new LoomError('fhir.interaction.not-supported', `${c.req.method} ${c.req.path} is not supported`, {
    hint: 'see /fhir/R4/metadata',
  })]));
  return app;
}

