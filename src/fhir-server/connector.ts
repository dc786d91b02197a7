// Outbound connector kind `fhir-store`: delivers canonical→FHIR mapping output into Loom's own
// FHIR store (the one served at /fhir/R4). Idempotent: same content keeps the same version.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { validateFhir } from '../codecs/fhir/index.js';
import type { ConnectorKind, DeliveryRequest, DeliveryResult, OutboundConnector } from '../kernel/connector.js';
import { LoomError, toLoomError } from '../kernel/errors.js';
import { operationOutcome } from './outcome.js';
import { openFhirRepository, type FhirRepository } from './repository.js';
import { enableSubscriptions } from './subscriptions.js';

/** Options of a `fhir-store` endpoint. */
export const fhirStoreOptionsSchema = z.object({
  dataDir: z.string().optional().describe('Folder of loom.db holding the FHIR store (default: the engine\'s data folder, so /fhir/R4 serves what this writes).'),
});
export type FhirStoreOptions = z.output<typeof fhirStoreOptionsSchema>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The id a resource is stored under: its own id, else the uuid of a `urn:uuid:` fullUrl or the id
 * in a PUT `Type/id` request url, else derived from its first identifier (so the same business
 * identifier always lands on the same resource), else from its content.
 */
function idFor(resource: Resource, fullUrl?: string, requestUrl?: string): string {
  if (resource.id) return resource.id;
  const put = requestUrl ? /^[A-Za-z]+\/([A-Za-z0-9\-.]{1,64})$/.exec(requestUrl) : null;
  if (put) return put[1]!;
  const urn = fullUrl ? /^urn:uuid:([0-9a-fA-F-]{36})$/.exec(fullUrl) : null;
  if (urn) return urn[1]!.toLowerCase();
  const ident = (resource as { identifier?: { system?: string; value?: string }[] }).identifier?.[0];
  const seed = ident?.value ? `${resource.resourceType}|${ident.system ?? ''}|${ident.value}` : JSON.stringify(resource);
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

/** Resources to store from a payload: one resource, or the entries of a collection/transaction/batch Bundle. */
export function resourcesOf(payload: unknown): Resource[] {
  return writesOf(payload).resources;
}

/**
 * What a payload asks to store: its resources, and the ones whose entry says `ifNoneMatch: *`
 * (HTTP If-None-Match on PUT: create only when nothing is stored under that id).
 */
export function writesOf(payload: unknown): { resources: Resource[]; createOnly: Set<string> } {
  const createOnly = new Set<string>();
  const resources = readResources(payload, (ref) => createOnly.add(ref));
  return { resources, createOnly };
}

function readResources(payload: unknown, markCreateOnly: (ref: string) => void): Resource[] {
  if (!isRecord(payload) || typeof payload.resourceType !== 'string') {
    throw new LoomError('fhir-store.payload.invalid', 'the payload is not a FHIR resource (no resourceType)', { hint: 'deliver FHIR R4 JSON' });
  }
  if (payload.resourceType !== 'Bundle') {
    const r = payload as unknown as Resource;
    return [{ ...r, id: idFor(r) } as Resource];
  }
  const bundle = payload as unknown as Bundle;
  if (!['collection', 'transaction', 'batch'].includes(bundle.type ?? '')) {
    throw new LoomError('fhir-store.bundle.not-supported', `Bundle.type "${String(bundle.type)}" cannot be stored`, { location: 'Bundle.type', hint: 'use collection, transaction or batch' });
  }
  const entries = bundle.entry ?? [];
  const resolved: { resource: Resource; fullUrl?: string }[] = [];
  entries.forEach((e, i) => {
    const method = e.request?.method;
    if (method !== undefined && method !== 'PUT' && method !== 'POST') {
      throw new LoomError('fhir-store.bundle.not-supported', `Bundle.entry[${i}].request.method ${method} is not supported`, { location: `Bundle.entry[${i}].request.method`, hint: 'only PUT and POST entries are stored' });
    }
    if (!e.resource) throw new LoomError('fhir-store.bundle.invalid', `Bundle.entry[${i}] has no resource`, { location: `Bundle.entry[${i}].resource` });
    const resource = { ...e.resource, id: idFor(e.resource, e.fullUrl, e.request?.url) } as Resource;
    if (e.request?.ifNoneMatch === '*') markCreateOnly(`${resource.resourceType}/${resource.id ?? ''}`);
    resolved.push({ resource, fullUrl: e.fullUrl });
  });
  // transaction semantics: references to an entry's fullUrl point at its stored Type/id
  const byFullUrl = new Map(resolved.filter((r) => r.fullUrl).map((r) => [r.fullUrl!, `${r.resource.resourceType}/${r.resource.id ?? ''}`]));
  if (byFullUrl.size === 0) return resolved.map((r) => r.resource);
  return resolved.map((r) => JSON.parse(JSON.stringify(r.resource), (key, value: unknown) =>
    key === 'reference' && typeof value === 'string' && byFullUrl.has(value) ? byFullUrl.get(value) : value) as Resource);
}

/** Delivers into a FhirRepository; validation issues fail the delivery (no retry would help). */
export class FhirStoreOutbound implements OutboundConnector {
  readonly kind = 'fhir-store';

  constructor(private readonly repo: FhirRepository) {
    enableSubscriptions(repo);
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    let resources: Resource[];
    let createOnly = new Set<string>();
    try {
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(request.payload));
      } catch (cause) {
        throw new LoomError('fhir-store.payload.invalid', `the payload is not JSON: ${String(cause)}`, { cause });
      }
      ({ resources, createOnly } = writesOf(json));
      const errors = resources.flatMap((r, i) => validateFhir(r).errors.map((e) =>
        new LoomError(e.code, resources.length > 1 ? `entry ${i + 1}: ${e.message}` : e.message, { location: e.location, hint: e.hint })));
      if (errors.length > 0) {
        const error = new LoomError('fhir-store.validation.failed', `${errors.length} validation issue(s): ${errors.map((e) => e.message).join('; ')}`, {
          location: errors[0]!.location, hint: 'fix the mapping so it emits valid R4',
        });
        return { status: 'failed', error, response: JSON.stringify(errors.map((e) => e.toJSON())) };
      }
    } catch (e) {
      return { status: 'failed', error: toLoomError(e, 'fhir-store.payload.invalid') };
    }
    try {
      const results = this.repo.upsertMany(resources, new Date(), { createOnly });
      const response = results.map((r) => ({ ref: `${r.resource.resourceType}/${r.resource.id ?? ''}`, versionId: r.resource.meta?.versionId, changed: r.changed }));
      return { status: 'delivered', response: JSON.stringify(response) };
    } catch (e) {
      const error = toLoomError(e, 'store.unavailable');
      // bad ids and references that do not resolve are permanent (the OperationOutcome says which); a busy or full database may clear up
      return error.code.startsWith('fhir.') ? { status: 'failed', error, response: JSON.stringify(operationOutcome([error])) } : { status: 'retry', error };
    }
  }

  async close(): Promise<void> {
    this.repo.close();
  }
}

/**
 * The `fhir-store` connector kind (outbound only).
 * @example fhirStoreConnector.outbound!({ dataDir: './.loom' }, context).deliver(request)
 */
export const fhirStoreConnector: ConnectorKind<FhirStoreOptions> = {
  kind: 'fhir-store',
  schema: fhirStoreOptionsSchema,
  outbound(options, context) {
    const dataDir = options.dataDir ? context.resolvePath(options.dataDir) : (context.dataDir ?? context.resolvePath('.loom'));
    return new FhirStoreOutbound(openFhirRepository({ dataDir }));
  },
};
