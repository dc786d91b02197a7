// Loom's own FHIR R4 server: a SQLite-backed resource store, the `fhir-store` outbound connector
// that fills it, and the /fhir/R4 endpoint (read, search, metadata, rest-hook Subscriptions).
export { FhirRepository, openFhirRepository, contentHash, type OpenFhirRepositoryOptions, type UpsertResult, type UpsertListener, type SearchOptions } from './repository.js';
export { SEARCH_PARAMS, compileSearch, extractTokens, normalizeReference, type SearchToken, type CompiledSearch } from './search.js';
export { SubscriptionNotifier, enableSubscriptions, parseCriteria, type SubscriptionOptions } from './subscriptions.js';
export { fhirRoutes, LOOM_FHIR_TYPES } from './routes.js';
export { fhirStoreConnector, fhirStoreOptionsSchema, FhirStoreOutbound, resourcesOf, type FhirStoreOptions } from './connector.js';
export { operationOutcome, issueCodeOf, statusOf } from './outcome.js';
