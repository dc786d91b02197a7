import { z } from 'zod';
import { headerAuthSchema, oauth2Schema } from '../connectors/shared/auth-schema.js';
import { Duration, KebabName } from '../config/patterns.js';

/**
 * One entry of `systemApis:` in loom.config.yaml: a backend system's read API (the ERP's
 * suppliers, the EHR's FHIR reads) that Loom serves as its own versioned route,
 * `GET /api/v1/system/{name}[/{path}]`. Callers authenticate to Loom; Loom calls the backend with
 * the backend's own credential (a fixed header or OAuth2 client credentials), never the caller's.
 */
export const SystemApiSchema = z.strictObject({
  name: KebabName,
  description: z.string().optional(),
  /** The backend system (a `systems:` entry), for the catalog and the metrics. */
  system: z.string().min(1),
  /** What `/api/v1/system/{name}` maps to; `/{path}` is appended for the paths `allow` lets through. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /**
   * Sub-paths callers may read, `*` standing for one path segment: `['*']` (an id),
   * `['Patient/*', 'Procedure']` (FHIR reads and a search). Anything else answers 404.
   */
  allow: z.array(z.string().min(1).regex(/^[^/].*[^/]$|^[^/]$/, 'no leading or trailing /')).default(['*']),
  /** Query parameters added to every backend call (`fields: '["*"]'`). */
  query: z.record(z.string(), z.string()).default({}),
  /** Caller query parameters passed on to the backend; others are dropped (`['*']` passes all). */
  passQuery: z.array(z.string().min(1)).default([]),
  auth: headerAuthSchema.optional(),
  oauth2: oauth2Schema.optional(),
  timeout: Duration.default(10_000),
  /** Answers kept for `ttl`; a message processed on an `invalidatedBy` channel empties the cache. */
  cache: z.strictObject({
    ttl: Duration.default(60_000),
    maxEntries: z.number().int().min(1).default(1000),
    /** Channels whose processed messages mean the backend data changed (master-data events). */
    invalidatedBy: z.array(z.string().min(1)).default([]),
  }).optional(),
}).superRefine((api, ctx) => {
  if (api.auth && api.oauth2) ctx.addIssue({ code: 'custom', path: ['oauth2'], message: 'give either `auth` (a fixed header) or `oauth2`, not both' });
});

export type SystemApiConfig = z.output<typeof SystemApiSchema>;
