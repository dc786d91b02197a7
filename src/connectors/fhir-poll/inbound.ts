import { LoomError, toLoomError } from '../../kernel/errors.js';
import type { Intake, InboundConnector } from '../../kernel/connector.js';
import type { Logger } from '../../kernel/ports.js';
import type { CursorStore } from '../shared/cursor-store.js';
import { OAuth2TokenSource } from '../shared/oauth2.js';
import { Poller } from '../shared/poller.js';
import type { FhirPollOptions } from './schema.js';

interface BundleEntry { resource?: { resourceType?: unknown; id?: unknown; meta?: { lastUpdated?: unknown; versionId?: unknown } } }
interface SearchBundle { resourceType?: unknown; entry?: BundleEntry[]; link?: Array<{ relation?: unknown; url?: unknown }> }

/** What one poll of one resource type did. */
export interface FhirPollResult { resourceType: string; received: number; duplicates: number; rejected: number; cursor?: string }

/**
 * FHIR polling (the FHIR spec's "polling" alternative to subscriptions): for each resource type,
 * search `_lastUpdated=ge<cursor>&_sort=_lastUpdated`, follow `next` links, hand each resource to
 * the engine, and move the durable cursor to the newest `meta.lastUpdated` after each page is
 * journaled. `ge` rather than `gt` re-reads the resources stamped with the cursor's own instant
 * (several may share it); they come back unchanged and the IdempotentReceiver answers duplicate.
 *
 * @example
 * const poll = new FhirPollInbound({ ...options, channel: 'ehr-procedures' }, cursors, logger);
 * await poll.start(engine);
 */
export class FhirPollInbound implements InboundConnector {
  readonly kind = 'fhir-poll';
  private readonly poller: Poller;
  private readonly tokens?: OAuth2TokenSource;
  private intake?: Intake;
  private stopping = false;
  private queue: Promise<void> = Promise.resolve();
  /** The last poll's outcome per resource type, for tests and the console. */
  readonly lastResults = new Map<string, FhirPollResult>();

  constructor(
    private readonly options: FhirPollOptions & { channel: string },
    private readonly cursors: CursorStore,
    private readonly logger: Logger,
  ) {
    this.poller = new Poller(options.intervalMs, () => this.pollAll(), logger, `FHIR poll of ${options.baseUrl}`);
    if (options.oauth2) this.tokens = new OAuth2TokenSource(options.oauth2);
  }

  async start(intake: Intake): Promise<void> {
    this.intake = intake;
    this.poller.start();
  }

  stop(): Promise<void> {
    this.stopping = true;
    return this.poller.stop();
  }

  address(): string {
    return `${this.options.baseUrl.replace(/\/$/, '')}/{${this.options.resources.join(',')}}?_lastUpdated`;
  }

  /**
   * One poll of every resource type (exposed so tests and `loom` can poll on demand); a call while
   * a poll runs waits for it and then polls again, so two polls never move one cursor at once.
   */
  pollAll(): Promise<void> {
    const run = this.queue.then(() => this.pollEachType());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async pollEachType(): Promise<void> {
    if (!this.intake) throw new LoomError('fhir-poll.not-started', 'start the connector before polling');
    for (const type of this.options.resources) {
      if (this.stopping) return;
      this.lastResults.set(type, await this.pollType(type));
    }
  }

  private cursorKey(type: string): string {
    return `${this.options.channel}.fhir-poll.${type}`;
  }

  private async pollType(type: string): Promise<FhirPollResult> {
    const result: FhirPollResult = { resourceType: type, received: 0, duplicates: 0, rejected: 0 };
    let cursor = (await this.cursors.get(this.cursorKey(type))) ?? this.options.since;
    const first = new URL(`${this.options.baseUrl.replace(/\/$/, '')}/${type}`);
    for (const [name, value] of Object.entries(this.options.params)) first.searchParams.set(name, value);
    if (cursor) first.searchParams.set('_lastUpdated', `ge${cursor}`);
    first.searchParams.set('_sort', '_lastUpdated');
    first.searchParams.set('_count', String(this.options.pageSize));
    let next: string | undefined = first.toString();
    for (let pages = 0; next; pages += 1) {
      if (pages > 10_000) throw new LoomError('fhir-poll.paging.runaway', `more than 10,000 pages from ${first}`, { hint: 'the server keeps answering next links: check its paging' });
      const bundle = await this.fetchBundle(next);
      let newest = cursor;
      for (const entry of bundle.entry ?? []) {
        const resource = entry.resource;
        if (!resource || resource.resourceType !== type) continue; // included resources (_include) are not ours to take here
        const outcome = await this.hand(resource, type);
        result[outcome === 'accepted' ? 'received' : outcome === 'duplicate' ? 'duplicates' : 'rejected'] += 1;
        const stamped = resource.meta?.lastUpdated;
        if (typeof stamped === 'string' && (newest === undefined || Date.parse(stamped) > Date.parse(newest))) newest = stamped;
      }
      // The page is journaled: only now does the cursor move past it.
      if (newest !== undefined && newest !== cursor) {
        await this.cursors.set(this.cursorKey(type), newest);
        cursor = newest;
      }
      const link = bundle.link?.find((l) => l.relation === 'next')?.url;
      next = typeof link === 'string' ? link : undefined;
    }
    result.cursor = cursor;
    return result;
  }

  private async hand(resource: NonNullable<BundleEntry['resource']>, type: string): Promise<'accepted' | 'duplicate' | 'rejected'> {
    const id = typeof resource.id === 'string' ? resource.id : '?';
    const receipt = await this.intake!.receive({
      channel: this.options.channel,
      payload: Buffer.from(JSON.stringify(resource)),
      contentType: 'application/fhir+json',
      sourceSystem: `fhir:${new URL(this.options.baseUrl).host}`,
      headers: { 'fhir-resource': `${type}/${id}`, ...(typeof resource.meta?.versionId === 'string' ? { 'fhir-version-id': resource.meta.versionId } : {}) },
    });
    return receipt.outcome;
  }

  private async fetchBundle(url: string): Promise<SearchBundle> {
    const headers: Record<string, string> = { accept: 'application/fhir+json' };
    if (this.options.auth) headers[this.options.auth.header] = this.options.auth.value;
    if (this.tokens) headers.authorization = `Bearer ${await this.tokens.token()}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (err) {
      throw new LoomError('fhir-poll.unreachable', `cannot reach ${url}: ${toLoomError(err).message}`, { cause: err, hint: 'the FHIR server is down or unreachable; the poll is retried' });
    }
    if (response.status === 401 && this.tokens) this.tokens.invalidate();
    const text = await response.text();
    if (!response.ok) {
      throw new LoomError(`fhir-poll.http.${response.status}`, `${url} answered ${response.status}: ${text.slice(0, 300)}`, { hint: 'check baseUrl, credentials and the search parameters' });
    }
    let bundle: SearchBundle;
    try {
      bundle = JSON.parse(text) as SearchBundle;
    } catch {
      throw new LoomError('fhir-poll.bundle.invalid', `${url} answered something that is not JSON`, { hint: 'is baseUrl a FHIR R4 base?' });
    }
    if (bundle.resourceType !== 'Bundle') {
      throw new LoomError('fhir-poll.bundle.invalid', `${url} answered a ${String(bundle.resourceType)}, not a searchset Bundle`, { hint: 'is baseUrl a FHIR R4 base?' });
    }
    return bundle;
  }
}
