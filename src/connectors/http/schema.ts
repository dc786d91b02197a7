import { z } from 'zod';

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
  auth: z.object({
    header: z.string().default('Authorization').describe('Header carrying the credential.'),
    value: z.string().describe('Credential value; write `${env:NAME}` in the config, the config layer resolves it.'),
  }).optional().describe('Outbound: authentication header.'),
  timeoutMs: z.number().int().positive().default(10_000).describe('Outbound: whole-request timeout; a timeout is retried.'),
});

export type HttpOptions = z.output<typeof httpOptionsSchema>;
