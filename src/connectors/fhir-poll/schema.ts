import { z } from 'zod';
import { headerAuthSchema, oauth2Schema } from '../shared/auth-schema.js';

/** Options of a `fhir-poll` inbound: pull changed resources from a FHIR R4 server by `_lastUpdated`. */
export const fhirPollOptionsSchema = z.object({
  channel: z.string().min(1).optional().describe('The channel the resources enter (set by the config loader).'),
  baseUrl: z.string().url().describe('FHIR R4 base, e.g. `https://ehr.example.org/fhir/R4`.'),
  resources: z.array(z.string().regex(/^[A-Z][A-Za-z]+$/, 'a FHIR resource type such as Procedure')).min(1)
    .describe('Resource types to pull, each with its own cursor.'),
  /** Extra search parameters per poll, e.g. `{ status: completed }`. */
  params: z.record(z.string(), z.string()).default({}),
  intervalMs: z.number().int().min(100).default(30_000).describe('Pause between the end of one poll and the start of the next.'),
  pageSize: z.number().int().min(1).max(1000).default(100).describe('`_count` per page; `next` links are followed.'),
  /** Where to start on the very first poll (ISO 8601); default: everything the server has. */
  since: z.string().datetime({ offset: true }).optional(),
  auth: headerAuthSchema.optional(),
  oauth2: oauth2Schema.optional(),
  timeoutMs: z.number().int().positive().default(15_000),
});

export type FhirPollOptions = z.output<typeof fhirPollOptionsSchema>;
