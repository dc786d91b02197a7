// R4 rest-hook Subscriptions: when an upserted resource matches an active Subscription's
// criteria, POST to channel.endpoint (empty body, or the resource when channel.payload is set),
// retrying; a Subscription that keeps failing goes to status `error` with `error` text.
import type { Resource, Subscription } from '@medplum/fhirtypes';
import { LoomError } from '../kernel/errors.js';
import type { FhirRepository, UpsertResult } from './repository.js';
import { compileSearch } from './search.js';

export interface SubscriptionOptions {
  /** Attempts per notification (default 3). */
  attempts?: number;
  /** First backoff in ms, doubled per attempt (default 500). */
  backoffMs?: number;
  /** Per-request timeout in ms (default 10,000). */
  timeoutMs?: number;
}

/** Criteria `Procedure?patient=Patient/123` → type and query; throws LoomError when unusable. */
export function parseCriteria(criteria: string | undefined): { type: string; params: URLSearchParams } {
  const m = /^([A-Z][A-Za-z]+)(?:\?(.*))?$/.exec(criteria ?? '');
  if (!m) {
    throw new LoomError('fhir.subscription.criteria-invalid', `Subscription.criteria "${criteria ?? ''}" is not [type]?[query]`, {
      location: 'Subscription.criteria', hint: 'e.g. Procedure?patient=Patient/123',
    });
  }
  const params = new URLSearchParams(m[2] ?? '');
  compileSearch(m[1]!, params); // refuses unknown parameters now rather than never matching later
  return { type: m[1]!, params };
}

/** Header lines `Name: value` of Subscription.channel.header as a record. */
function headersOf(sub: Subscription): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of sub.channel.header ?? []) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Watches a repository's upserts and notifies matching rest-hook Subscriptions. */
export class SubscriptionNotifier {
  private active: Subscription[] | undefined;
  private readonly pending = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly repo: FhirRepository, options: SubscriptionOptions = {}) {
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.unsubscribe = repo.onUpsert((r) => this.onUpsert(r));
  }

  private subscriptions(): Subscription[] {
    if (!this.active) {
      const found = this.repo.search('Subscription', new URLSearchParams({ status: 'active', _count: '1000' }));
      this.active = (found.entry ?? []).map((e) => e.resource as Subscription).filter((s) => s.channel?.type === 'rest-hook');
    }
    return this.active;
  }

  private onUpsert(result: UpsertResult): void {
    const resource = result.resource;
    if (resource.resourceType === 'Subscription') {
      this.active = undefined; // status or criteria may have changed
      return;
    }
    if (!result.changed) return;
    for (const sub of this.subscriptions()) {
      if (this.matches(sub, resource)) this.track(this.notify(sub, resource));
    }
  }

  private matches(sub: Subscription, resource: Resource): boolean {
    try {
      const { type, params } = parseCriteria(sub.criteria);
      if (type !== resource.resourceType) return false;
      const q = new URLSearchParams(params);
      q.set('_id', resource.id ?? '');
      q.set('_count', '0');
      return (this.repo.search(type, q).total ?? 0) > 0;
    } catch {
      return false; // criteria were checked on create; a stored bad one simply never matches
    }
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async notify(sub: Subscription, resource: Resource): Promise<void> {
    const withPayload = sub.channel.payload !== undefined && sub.channel.payload !== '';
    let lastError = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        const res = await fetch(sub.channel.endpoint ?? '', {
          method: 'POST',
          headers: { ...(withPayload ? { 'content-type': 'application/fhir+json' } : {}), ...headersOf(sub) },
          body: withPayload ? JSON.stringify(resource) : undefined,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        await res.arrayBuffer();
        if (res.ok) return;
        lastError = `HTTP ${res.status} from ${sub.channel.endpoint ?? ''}`;
      } catch (e) {
        lastError = `${sub.channel.endpoint ?? ''}: ${e instanceof Error ? e.message : String(e)}`;
      }
      if (attempt < this.attempts) await delay(this.backoffMs * 2 ** (attempt - 1));
    }
    this.markError(sub, `notification for ${resource.resourceType}/${resource.id ?? ''} failed after ${this.attempts} attempts: ${lastError}`);
  }

  private markError(sub: Subscription, error: string): void {
    const current = this.repo.read('Subscription', sub.id ?? '') as Subscription | undefined;
    if (!current) return;
    try {
      this.repo.upsert({ ...current, status: 'error', error });
    } catch {
      // the store is closing; the failure stays visible through the missed notification only
    }
  }

  /** Resolves when every notification in flight has finished (delivered or marked error). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stop watching; waits for notifications in flight. */
  async stop(): Promise<void> {
    this.unsubscribe();
    await this.idle();
  }
}

const notifiers = new WeakMap<FhirRepository, SubscriptionNotifier>();

/**
 * The one notifier of a repository (created on first call; later options are ignored).
 * @example enableSubscriptions(repo, { attempts: 3 }).idle()
 */
export function enableSubscriptions(repo: FhirRepository, options: SubscriptionOptions = {}): SubscriptionNotifier {
  let n = notifiers.get(repo);
  if (!n) {
    n = new SubscriptionNotifier(repo, options);
    notifiers.set(repo, n);
  }
  return n;
}
