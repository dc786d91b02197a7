import type { ConnectorKind } from '../../kernel/connector.js';
import { FhirOutbound } from './outbound.js';
import { fhirOptionsSchema, type FhirOptions } from './schema.js';

export { FhirOutbound } from './outbound.js';
export { planFhirCall, operationOutcomeText, type FhirHttpCall } from './request.js';
export { fhirOptionsSchema, type FhirOptions } from './schema.js';

/** The `fhir` connector kind: outbound FHIR R4 REST client (the FHIR server endpoint lives in the API). */
export const fhirConnector: ConnectorKind<FhirOptions> = {
  kind: 'fhir',
  schema: fhirOptionsSchema,
  outbound(options) {
    return new FhirOutbound(options);
  },
};
