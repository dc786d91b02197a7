import type { Resource } from '@medplum/fhirtypes';

/** Any FHIR R4 resource, as decoded JSON. */
export type FhirResource = Resource;

/** One entry of a split Bundle. */
export interface FhirBundleEntry {
  /** 1-based position in Bundle.entry. */
  index: number;
  fullUrl?: string;
  resource?: FhirResource;
  /** Bundle.entry.request for transaction/batch: method and url. */
  request?: { method: string; url: string; ifNoneExist?: string; ifMatch?: string };
  /** Bundle.entry.search.mode for searchset (match, include, outcome). */
  searchMode?: string;
}
