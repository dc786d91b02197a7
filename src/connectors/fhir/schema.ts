import { z } from 'zod';

/** Options of a `fhir` endpoint: an outbound FHIR R4 REST client. */
export const fhirOptionsSchema = z.object({
  baseUrl: z.string().url().describe('FHIR R4 base, e.g. `https://ehr.example.org/fhir/R4`.'),
  mode: z.enum(['auto', 'update', 'create', 'transaction']).default('auto')
    .describe('auto: a Bundle of type transaction/batch is POSTed to the base; a resource with id is PUT to [type]/[id]; one with an identifier is conditionally PUT to [type]?identifier=system|value; otherwise created with If-None-Exist when an identifier exists.'),
  auth: z.object({
    header: z.string().default('Authorization').describe('Header carrying the credential.'),
    value: z.string().describe('Credential, e.g. `Bearer ${env:EHR_TOKEN}`; resolved by the config layer.'),
  }).optional().describe('Authentication header.'),
  headers: z.record(z.string(), z.string()).default({}).describe('Extra request headers.'),
  timeoutMs: z.number().int().positive().default(15_000).describe('Whole-request timeout; a timeout is retried.'),
});

export type FhirOptions = z.output<typeof fhirOptionsSchema>;
