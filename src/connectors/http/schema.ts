import { z } from 'zod';
import { headerAuthSchema, oauth2Schema } from '../shared/auth-schema.js';

/** Options of an `http` endpoint; inbound uses channel/host/port/path/maxBytes, outbound url/method/headers/auth/timeoutMs. */
export const httpOptionsSchema = z.object({
  channel: z.string().min(1).optional().describe('Inbound: the channel received messages enter.'),
  host: z.string().default('127.0.0.1').describe('Inbound standalone listener: interface to bind.'),
  port: z.number().int().min(0).max(65535).optional()
    .describe('Inbound standalone listener port (0 = any free port). Omit to mount the handler on the API instead.'),
  path: z.string().default('/').describe('Inbound standalone listener: path accepting POST.'),
  maxBytes: z.number().int().positive().default(10 * 1024 * 1024).describe('Inbound: largest accepted body; larger gets 413.'),
  url: z.string().url().optional().describe('Outbound: target URL.'),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST').describe('Outbound: HTTP method.'),
  headers: z.record(z.string(), z.string()).default({}).describe('Outbound: extra request headers.'),
  auth: headerAuthSchema.optional().describe('Outbound: authentication header.'),
  timeoutMs: z.number().int().positive().default(10_000).describe('Outbound: whole-request timeout; a timeout is retried.'),
  oauth2: oauth2Schema.optional().describe('Outbound: OAuth 2.0 client credentials; the bearer token is cached and refreshed before it expires.'),
  signature: z.object({
    secret: z.string().min(8).describe('Shared secret; write `${env:NAME}` or `${file:path}`.'),
    header: z.string().default('x-loom-signature'),
    toleranceSeconds: z.number().int().positive().default(300).describe('Inbound: clock skew accepted and replay window.'),
  }).strict().optional().describe('Inbound: verify `t=<unix>,v1=<HMAC-SHA256 of "t.body">` on each request (401 otherwise). Outbound: sign each request the same way.'),
}).superRefine((options, ctx) => {
  if (options.oauth2 && options.auth) ctx.addIssue({ code: 'custom', path: ['oauth2'], message: 'give either `auth` (a fixed header) or `oauth2`, not both' });
});

export type HttpOptions = z.output<typeof httpOptionsSchema>;
