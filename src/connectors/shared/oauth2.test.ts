import { describe, expect, it } from 'vitest';
import { LoomError } from '../../kernel/errors.js';
import { OAuth2TokenSource, type FetchLike } from './oauth2.js';

const base = { tokenUrl: 'https://idp.example/oauth/token', clientId: 'loom', clientSecret: 's3cret', clientAuth: 'basic' as const, refreshBeforeSeconds: 30, timeoutMs: 1000 };

/** A scripted token endpoint that records each request. */
function endpoint(answer: (n: number) => { status: number; body: string } | Error) {
  const calls: Array<{ headers: Record<string, string>; body: string }> = [];
  const fetchImpl: FetchLike = async (_url, init) => {
    calls.push({ headers: init.headers, body: init.body });
    const a = answer(calls.length);
    if (a instanceof Error) throw a;
    return { status: a.status, text: async () => a.body };
  };
  return { calls, fetchImpl };
}

const token = (value: string, expiresIn = 3600) => ({ status: 200, body: JSON.stringify({ access_token: value, token_type: 'Bearer', expires_in: expiresIn }) });

describe('OAuth2 client credentials token source', () => {
  it('sends the grant with HTTP Basic client authentication and caches the token until shortly before expiry', async () => {
    let now = 0;
    const { calls, fetchImpl } = endpoint((n) => token(`t${n}`, 300));
    const source = new OAuth2TokenSource({ ...base, scope: 'ap.write' }, fetchImpl, () => now);
    expect(await source.token()).toBe('t1');
    expect(calls[0]!.body).toBe('grant_type=client_credentials&scope=ap.write');
    expect(calls[0]!.headers.authorization).toBe(`Basic ${Buffer.from('loom:s3cret').toString('base64')}`);
    now = 269_000; // 300 s lifetime, refreshed 30 s early
    expect(await source.token()).toBe('t1');
    now = 271_000;
    expect(await source.token()).toBe('t2');
    expect(calls).toHaveLength(2);
  });

  it('puts the client in the form body when clientAuth is body', async () => {
    const { calls, fetchImpl } = endpoint(() => token('x'));
    await new OAuth2TokenSource({ ...base, clientAuth: 'body' }, fetchImpl).token();
    expect(calls[0]!.headers.authorization).toBeUndefined();
    expect(new URLSearchParams(calls[0]!.body).get('client_secret')).toBe('s3cret');
  });

  it('shares one token request among concurrent callers', async () => {
    const { calls, fetchImpl } = endpoint(() => token('shared'));
    const source = new OAuth2TokenSource(base, fetchImpl);
    expect(await Promise.all([source.token(), source.token(), source.token()])).toEqual(['shared', 'shared', 'shared']);
    expect(calls).toHaveLength(1);
  });

  it('fetches a new token after invalidate (the resource server refused the old one)', async () => {
    const { fetchImpl } = endpoint((n) => token(`t${n}`));
    const source = new OAuth2TokenSource(base, fetchImpl);
    expect(await source.token()).toBe('t1');
    source.invalidate();
    expect(await source.token()).toBe('t2');
  });

  it('names the failure: endpoint down or 5xx is unavailable, 401 with an RFC 6749 error is refused, junk is malformed', async () => {
    const codeOf = async (answer: { status: number; body: string } | Error) => {
      try {
        await new OAuth2TokenSource(base, endpoint(() => answer).fetchImpl).token();
        return 'no error';
      } catch (err) {
        return err instanceof LoomError ? `${err.code}: ${err.message}` : 'not a LoomError';
      }
    };
    expect(await codeOf(new TypeError('fetch failed'))).toMatch(/^oauth2\.token\.unavailable: cannot reach/);
    expect(await codeOf({ status: 503, body: '' })).toMatch(/^oauth2\.token\.unavailable/);
    expect(await codeOf({ status: 401, body: '{"error":"invalid_client","error_description":"bad secret"}' })).toBe(
      'oauth2.token.refused: the token endpoint https://idp.example/oauth/token refused client "loom" (401): invalid_client: bad secret',
    );
    expect(await codeOf({ status: 200, body: '<html>' })).toMatch(/^oauth2\.token\.malformed/);
    expect(await codeOf({ status: 200, body: '{"token_type":"Bearer"}' })).toMatch(/^oauth2\.token\.malformed/);
  });
});
