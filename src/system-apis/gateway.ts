import { OAuth2TokenSource } from '../connectors/shared/oauth2.js';
import { LoomError } from '../kernel/index.js';
import { ExpiringCache } from './cache.js';
import type { SystemApiConfig } from './schema.js';

/** What a system API answers its caller: the backend's status and body, and how the cache served it. */
export interface SystemApiAnswer {
  status: number;
  contentType: string;
  body: string;
  /** hit: from the cache; miss: fetched and cached; off: the API has no cache (or the answer was not cacheable). */
  cache: 'hit' | 'miss' | 'off';
}

/** One call, for the usage metrics: who called which API, and how it went. */
export interface SystemApiUsage {
  api: string;
  consumer: string;
  status: number;
  cache: SystemApiAnswer['cache'] | 'error';
  /** Time spent waiting for the backend (absent on a cache hit). */
  backendMs?: number;
}

export interface SystemApiDescription {
  name: string;
  description?: string;
  system: string;
  allow: string[];
  cached: boolean;
  invalidatedBy: string[];
}

interface Route {
  config: SystemApiConfig;
  allow: RegExp[];
  cache?: ExpiringCache<SystemApiAnswer>;
  tokens?: OAuth2TokenSource;
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

const SEGMENT = /^[A-Za-z0-9._~:@!$&'()*+,;=-]+$/;

/** `Patient/*` → /^Patient\/[^/]+$/: `*` is one path segment. */
function allowPattern(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${escaped}$`);
}

/**
 * The system APIs of the config (seed: system, process and experience APIs): each fronts one
 * backend's read API as a Loom route, with Loom's own authentication in front and the backend's
 * credential behind, a cache emptied when master-data events arrive, and usage per consumer.
 *
 * @example
 * const gateway = new SystemApiGateway(config.systemApis, { onUsage: metrics.record });
 * await gateway.read('erp-suppliers', ['VENDOR-A'], new URLSearchParams(), 'key:buyer-portal');
 */
export class SystemApiGateway {
  private readonly routes = new Map<string, Route>();

  constructor(apis: readonly SystemApiConfig[], private readonly options: { fetch?: Fetch; now?: () => number; onUsage?: (usage: SystemApiUsage) => void } = {}) {
    for (const config of apis) {
      this.routes.set(config.name, {
        config,
        allow: config.allow.map(allowPattern),
        ...(config.cache ? { cache: new ExpiringCache<SystemApiAnswer>({ ttlMs: config.cache.ttl, maxEntries: config.cache.maxEntries, ...(options.now ? { now: options.now } : {}) }) } : {}),
        ...(config.oauth2 ? { tokens: new OAuth2TokenSource(config.oauth2) } : {}),
      });
    }
  }

  describe(): SystemApiDescription[] {
    return [...this.routes.values()].map(({ config }) => ({
      name: config.name, ...(config.description ? { description: config.description } : {}), system: config.system,
      allow: config.allow, cached: config.cache !== undefined, invalidatedBy: config.cache?.invalidatedBy ?? [],
    }));
  }

  /**
   * Read `path` (segments below the API's base; empty for the base itself) for `consumer`.
   * Throws `system-api.*` LoomErrors: unknown API or path (404), backend unreachable (502),
   * timed out (504), refusing Loom's credential or failing (502).
   */
  async read(name: string, path: readonly string[], query: URLSearchParams, consumer: string): Promise<SystemApiAnswer> {
    const route = this.routes.get(name);
    if (!route) {
      throw new LoomError('system-api.unknown', `no system API "${name}"`, { location: `systemApis.${name}`, hint: `known: ${[...this.routes.keys()].join(', ') || '(none configured)'}` });
    }
    const url = this.backendUrl(route, path, query);
    const cached = route.cache?.get(url);
    if (cached) {
      this.options.onUsage?.({ api: name, consumer, status: cached.status, cache: 'hit' });
      return { ...cached, cache: 'hit' };
    }
    const started = performance.now();
    try {
      const answer = await this.fetchBackend(route, url);
      const cacheable = route.cache !== undefined && answer.status === 200;
      if (cacheable) route.cache!.set(url, { ...answer, cache: 'hit' });
      const served: SystemApiAnswer = { ...answer, cache: cacheable ? 'miss' : 'off' };
      this.options.onUsage?.({ api: name, consumer, status: served.status, cache: served.cache, backendMs: performance.now() - started });
      return served;
    } catch (err) {
      this.options.onUsage?.({ api: name, consumer, status: 502, cache: 'error', backendMs: performance.now() - started });
      throw err;
    }
  }

  /** A message was processed on `channel`: empty the caches that channel invalidates. */
  channelProcessed(channel: string): void {
    for (const route of this.routes.values()) if (route.config.cache?.invalidatedBy.includes(channel)) route.cache?.clear();
  }

  /** Empty one API's cache (after a backend change Loom could not see). */
  invalidate(name: string): void {
    this.routes.get(name)?.cache?.clear();
  }

  private backendUrl(route: Route, path: readonly string[], query: URLSearchParams): string {
    const { config } = route;
    if (path.length > 0) {
      const joined = path.join('/');
      if (path.some((s) => !SEGMENT.test(s) || s === '.' || s === '..') || !route.allow.some((re) => re.test(joined))) {
        throw new LoomError('system-api.path.not-allowed', `${config.name} does not serve /${joined}`, {
          location: `systemApis.${config.name}.allow`, hint: `paths served: ${config.allow.join(', ')}`,
        });
      }
    }
    const url = new URL(path.length > 0 ? `${config.baseUrl.replace(/\/+$/, '')}/${path.join('/')}` : config.baseUrl);
    const passAll = config.passQuery.includes('*');
    for (const [key, value] of query) if (passAll || config.passQuery.includes(key)) url.searchParams.append(key, value);
    for (const [key, value] of Object.entries(config.query)) url.searchParams.set(key, value);
    url.searchParams.sort(); // one cache entry whatever the order the caller wrote its parameters in
    return url.toString();
  }

  private async fetchBackend(route: Route, url: string): Promise<Omit<SystemApiAnswer, 'cache'>> {
    let response = await this.send(route, url);
    if (response.status === 401 && route.tokens) {
      route.tokens.invalidate(); // revoked or expired early: one fresh token, one more try
      response = await this.send(route, url);
    }
    const body = await response.text();
    const { config } = route;
    if (response.status === 401 || response.status === 403) {
      throw new LoomError('system-api.backend.refused', `${config.system} refused Loom's credential for ${config.name} (HTTP ${response.status})`, {
        location: `systemApis.${config.name}.${config.oauth2 ? 'oauth2' : 'auth'}`, hint: "check the backend credential in Loom's config; the caller's own credential is never passed on",
      });
    }
    if (response.status >= 500) {
      throw new LoomError('system-api.backend.failed', `${config.system} answered ${response.status} for ${config.name}`, { hint: 'the backend is failing; try again later' });
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body };
  }

  private async send(route: Route, url: string): Promise<Response> {
    const { config } = route;
    const headers: Record<string, string> = { accept: 'application/json, application/fhir+json;q=0.9' };
    try {
      if (config.auth) headers[config.auth.header] = config.auth.value;
      if (route.tokens) headers.authorization = `Bearer ${await route.tokens.token()}`;
      return await (this.options.fetch ?? fetch)(url, { headers, signal: AbortSignal.timeout(config.timeout) });
    } catch (err) {
      if (err instanceof LoomError) throw err;
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new LoomError(timedOut ? 'system-api.backend.timeout' : 'system-api.backend.unreachable',
        timedOut ? `${config.system} did not answer ${config.name} within ${config.timeout} ms` : `cannot reach ${config.system} for ${config.name}: ${err instanceof Error ? err.message : String(err)}`,
        { location: `systemApis.${config.name}.baseUrl`, hint: 'the backend is down or unreachable from Loom', cause: err });
    }
  }
}
