// Referential integrity of Loom's FHIR store: every reference a stored resource carries must point
// at a stored resource (or a contained one), so /fhir/R4 never serves a subject that answers 404.
import type { Resource } from '@medplum/fhirtypes';
import { LoomError } from '../kernel/errors.js';

/** One `reference` element of a resource, with its FHIRPath-like location. */
export interface ResourceReference {
  path: string;
  reference: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every `reference` string in a resource (contained resources excluded: their references are the
 * container's own), with the element path.
 * @example referencesOf(encounter) // [{ path: 'Encounter.subject.reference', reference: 'Patient/p1' }]
 */
export function referencesOf(resource: Resource): ResourceReference[] {
  const out: ResourceReference[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'contained' && path === resource.resourceType) continue;
        if (k === 'reference' && typeof x === 'string') out.push({ path: `${path}.reference`, reference: x });
        else walk(x, `${path}.${k}`);
      }
    }
  };
  walk(resource, resource.resourceType);
  return out;
}

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** `Type/id` a reference points at in this store; undefined for contained (`#x`) and absolute http(s) references. */
export function localTarget(reference: string): { type: string; id: string } | undefined {
  const m = RELATIVE.exec(reference);
  return m ? { type: m[1]!, id: m[2]! } : undefined;
}

/**
 * Throws `fhir.reference.unresolved` for the first reference of `resource` that does not resolve:
 * a relative `Type/id` that `exists` denies, a `#id` with no contained resource of that id, or a
 * `urn:` placeholder left unresolved by its Bundle. Absolute http(s) URLs point at other servers
 * and are accepted as they are.
 */
export function assertReferencesResolve(resource: Resource, exists: (type: string, id: string) => boolean): void {
  const contained = new Set(((resource as { contained?: Resource[] }).contained ?? []).map((c) => c.id));
  for (const { path, reference } of referencesOf(resource)) {
    const self = `${resource.resourceType}/${resource.id ?? ''}`;
    if (reference.startsWith('#')) {
      if (reference === '#' || contained.has(reference.slice(1))) continue;
      throw unresolved(self, path, reference, `add a contained resource with id "${reference.slice(1)}"`);
    }
    if (/^https?:\/\//.test(reference)) continue;
    const target = localTarget(reference);
    if (target === undefined) throw unresolved(self, path, reference, 'use Type/id of a stored resource, or put the target in the same transaction Bundle with this fullUrl');
    if (!exists(target.type, target.id)) throw unresolved(self, path, reference, `store ${target.type}/${target.id} first, or send it in the same transaction Bundle`);
  }
}

function unresolved(self: string, path: string, reference: string, hint: string): LoomError {
  return new LoomError('fhir.reference.unresolved', `${self} was refused: ${path} points at ${reference}, which is not stored`, { location: path, hint });
}
