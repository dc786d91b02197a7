import type { Bundle } from '@medplum/fhirtypes';
import { LoomError } from '../../kernel/errors.js';
import type { FhirBundleEntry, FhirResource } from './types.js';

const SPLITTABLE = new Set(['transaction', 'batch', 'collection', 'searchset', 'transaction-response', 'batch-response', 'history', 'document', 'message']);

/**
 * Splits a Bundle (Splitter pattern) into entries with fullUrl and request.
 * @example splitBundle(bundle).map((e) => e.request?.method) // ['POST', 'PUT']
 */
export function splitBundle(resource: FhirResource): FhirBundleEntry[] {
  if (resource.resourceType !== 'Bundle') {
    throw new LoomError('fhir.bundle.expected', `expected a Bundle, got ${resource.resourceType}`, { location: 'resourceType' });
  }
  const bundle = resource as Bundle;
  if (!bundle.type || !SPLITTABLE.has(bundle.type)) {
    throw new LoomError('fhir.bundle.type', `Bundle.type "${bundle.type ?? ''}" cannot be split`, { location: 'Bundle.type', hint: 'use transaction, batch, collection or searchset' });
  }
  return (bundle.entry ?? []).map((entry, i) => {
    const out: FhirBundleEntry = { index: i + 1 };
    if (entry.fullUrl !== undefined) out.fullUrl = entry.fullUrl;
    if (entry.resource !== undefined) out.resource = entry.resource;
    if (entry.request !== undefined) {
      if ((bundle.type === 'transaction' || bundle.type === 'batch') && (!entry.request.method || !entry.request.url)) {
        throw new LoomError('fhir.bundle.request', `Bundle.entry[${i}].request needs method and url in a ${bundle.type}`, { location: `Bundle.entry[${i}].request` });
      }
      out.request = { method: entry.request.method, url: entry.request.url };
      if (entry.request.ifNoneExist !== undefined) out.request.ifNoneExist = entry.request.ifNoneExist;
      if (entry.request.ifMatch !== undefined) out.request.ifMatch = entry.request.ifMatch;
    } else if (bundle.type === 'transaction' || bundle.type === 'batch') {
      throw new LoomError('fhir.bundle.request', `Bundle.entry[${i}] has no request in a ${bundle.type}`, { location: `Bundle.entry[${i}].request`, hint: 'add request.method and request.url' });
    }
    if (entry.search?.mode !== undefined) out.searchMode = entry.search.mode;
    return out;
  });
}
