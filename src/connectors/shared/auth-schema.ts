import { z } from 'zod';

/** `oauth2:` on an endpoint: OAuth 2.0 client credentials, the token cached and refreshed before it expires. */
export const oauth2Schema = z.object({
  tokenUrl: z.string().url().describe('The token endpoint of the client credentials grant.'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).describe('Write `${env:NAME}` or `${file:path}`.'),
  scope: z.string().optional(),
  audience: z.string().optional().describe('Some providers (Auth0, Azure AD v1) want the API as `audience`.'),
  clientAuth: z.enum(['basic', 'body']).default('basic').describe('RFC 6749 §2.3.1: HTTP Basic or client_id/client_secret in the form.'),
  refreshBeforeSeconds: z.number().int().min(0).default(30),
  timeoutMs: z.number().int().positive().default(10_000),
}).strict();

/** `auth:` on an endpoint: one fixed credential header. */
export const headerAuthSchema = z.object({
  header: z.string().default('Authorization').describe('Header carrying the credential.'),
  value: z.string().describe('Credential value; write `${env:NAME}` in the config, the config layer resolves it.'),
});
