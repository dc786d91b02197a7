// FHIR R4 JSON codec: parse, structure validation and FHIRPath via @medplum/core (loaded lazily).
export type { FhirResource, FhirBundleEntry } from './types.js';
export { parseFhir, R5_ONLY_TYPES } from './parse.js';
export { validateFhir } from './validate.js';
export type { FhirValidation } from './validate.js';
export { getFhir } from './get.js';
export { splitBundle } from './bundle.js';
export { fhirCodec } from './codec.js';
