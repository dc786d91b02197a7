import { LoomError } from '../../kernel/errors.js';

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4), as SaaS procurement suites and cloud ERPs expect. */
export interface OAuth2ClientCredentials {
  tokenUrl: string;
  clientId: string;
  /** Write `${env:NAME}` or `${file:path}` in the config. */
  clientSecret: string;
  scope?: string;
  audience?: string;
  /** RFC 6749 §2.3.1: HTTP Basic (the default every server must accept) or the form body. */
  clientAuth: 'basic' | 'body';
  /** Fetch a new token this long before the current one expires. */
  refreshBeforeSeconds: number;
  timeoutMs: number;
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;

interface CachedToken {
  value: string;
  /** ms epoch after which a new token is fetched. */
  refreshAt: number;
}

/**
 * Hands out a bearer token for the client credentials grant, cached until shortly before it
 * expires; concurrent callers share one token request. A token the resource server refuses (401)
 * is dropped with `invalidate` and the next call fetches a new one.
 * Failures throw LoomError `oauth2.token.unavailable` (endpoint down, 5xx, timeout) or
 * `oauth2.token.refused` (4xx: wrong client id or secret); deliveries retry on both, so a rotated
 * secret holds the messages instead of dead-lettering them.
 *
 * @example
 * const tokens = new OAuth2TokenSource({ tokenUrl, clientId, clientSecret, clientAuth: 'basic', refreshBeforeSeconds: 30, timeoutMs: 5000 });
 * headers.authorization = `Bearer ${await tokens.token()}`;
 */
export class OAuth2TokenSource {
  private cached?: CachedToken;
  private pending?: Promise<string>;

  constructor(
    private readonly options: OAuth2ClientCredentials,
    private readonly fetchImpl: FetchLike = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.value;
    this.pending ??= this.request().finally(() => { this.pending = undefined; });
    return this.pending;
  }

  /** Forget the cached token (the resource server answered 401 with it). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async request(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scope, audience, clientAuth } = this.options;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) form.set('scope', scope);
    if (audience) form.set('audience', audience);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (clientAuth === 'basic') {
      // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    let status: number;
    let text: string;
    try {
      const answer = await this.fetchImpl(tokenUrl, { method: 'POST', headers, body: form.toString(), signal: AbortSignal.timeout(this.options.timeoutMs) });
      status = answer.status;
      text = await answer.text();
    } catch (err) {
      throw new LoomError('oauth2.token.unavailable', `cannot reach the token endpoint ${tokenUrl}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err, hint: 'the identity provider is down or unreachable; deliveries wait and retry',
      });
    }
    if (status >= 500 || status === 429 || status === 408) {
      throw new LoomError('oauth2.token.unavailable', `the token endpoint ${tokenUrl} answered ${status}`, { hint: 'transient: deliveries retry' });
    }
    if (status < 200 || status >= 300) {
      throw new LoomError('oauth2.token.refused', `the token endpoint ${tokenUrl} refused client "${clientId}" (${status}): ${oauthError(text)}`, {
        hint: 'check clientId, clientSecret and scope in loom.config.yaml; deliveries wait until it is fixed',
      });
    }
    const body = parseTokenResponse(text, tokenUrl);
    const lifetimeMs = (body.expiresIn ?? 3600) * 1000;
    const early = Math.min(this.options.refreshBeforeSeconds * 1000, lifetimeMs / 2);
    this.cached = { value: body.accessToken, refreshAt: this.now() + lifetimeMs - early };
    return body.accessToken;
  }
}

/** RFC 6749 §5.2 error code and description, or the body's start. */
function oauthError(text: string): string {
  try {
    const json = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof json.error === 'string') return typeof json.error_description === 'string' ? `${json.error}: ${json.error_description}` : json.error;
  } catch {
    // not JSON: quote the start
  }
  return text.slice(0, 200);
}

/** RFC 6749 §5.1 access token response. */
function parseTokenResponse(text: string, tokenUrl: string): { accessToken: string; expiresIn?: number } {
  let json: { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new LoomError('oauth2.token.malformed', `the token endpoint ${tokenUrl} answered something that is not JSON`, { hint: 'is tokenUrl the token endpoint?' });
  }
  if (typeof json.access_token !== 'string' || json.access_token === '') {
    throw new LoomError('oauth2.token.malformed', `the token response of ${tokenUrl} has no access_token`, { hint: 'is tokenUrl the token endpoint?' });
  }
  if (typeof json.token_type === 'string' && json.token_type.toLowerCase() !== 'bearer') {
    throw new LoomError('oauth2.token.unsupported', `token_type "${json.token_type}" is not Bearer`, { hint: 'Loom sends bearer tokens only' });
  }
  const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : typeof json.expires_in === 'string' ? Number(json.expires_in) : undefined;
  return { accessToken: json.access_token, expiresIn: expiresIn !== undefined && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined };
}
