import {
  LoomError, newId, silentLogger, systemClock, toLoomError, type Clock, type InboundRequest, type Intake, type IntakeReceipt, type Logger,
} from '../kernel/index.js';
import type { Envelope } from '../kernel/index.js';
import type { AuditSink } from '../kernel/audit.js';
import type { DestinationRef, Store } from '../kernel/store.js';
import { Dispatcher, type ResolvedDestination } from './delivery.js';
import { EngineEvents } from './events.js';
import { Slots, prepareEntry } from './intake.js';
import { runPipeline, type CompiledChannel } from './pipeline.js';
import { StepRegistry } from './steps.js';
import type { ChannelDefinition, HeaderReader, Mapping, Parser, StepFunction, Validator } from './types.js';

export interface EngineOptions {
  store: Store;
  /** Where operator actions are audited (Loom: the hash-chained governance log). Default: the store's operator-action table. */
  audit?: AuditSink;
  logger?: Logger;
  clock?: Clock;
  /** Header reader per content type (HL7 v2 `readHl7Header`, X12 `readX12Header`). */
  headerReaders?: Record<string, HeaderReader>;
  validators?: Record<string, Validator>;
  /** Full parsers for `ctx.parsed()`; JSON content types parse as JSON by default. */
  parsers?: Record<string, Parser>;
  mappings?: Record<string, Mapping>;
  steps?: StepRegistry;
  /** Messages between intake and completed processing; over it `receive` waits. Default 5000. */
  maxInFlight?: number;
  /** Concurrent pipeline runs per unordered channel. Default 32. */
  processingConcurrency?: number;
  /** Concurrent delivery attempts. Default 64. */
  deliveryConcurrency?: number;
}

interface Work {
  channel: CompiledChannel;
  envelope: Envelope;
  payload: Uint8Array;
  /** Times the completion could not be stored (disk full, store locked); drives the backoff. */
  storeFailures?: number;
}

const MAX_COMPLETION_BACKOFF_MS = 30_000;

interface Lane {
  queue: Work[];
  running: number;
}

/** The fallback audit sink of a bare Engine: the store's operator-action table (not hash-chained). */
function storeAuditSink(store: Store, clock: Clock): AuditSink {
  return {
    append: (entry) => store.recordAction({ id: newId(clock.now()), at: clock.now(), ...entry }),
    recent: (limit) => store.listActions(limit),
  };
}

const jsonParser: Parser = (p) => JSON.parse(new TextDecoder().decode(p)) as unknown;

/** Channels, intake, processing and delivery: the part of the engine that moves messages. */
export class EngineCore implements Intake {
  readonly events = new EngineEvents();
  readonly store: Store;
  protected readonly auditSink: AuditSink;
  protected readonly logger: Logger;
  protected readonly clock: Clock;
  protected readonly registry: StepRegistry;
  protected channels = new Map<string, CompiledChannel>();
  protected readonly paused = new Set<string>();
  protected readonly dispatcher: Dispatcher;
  protected readonly slots: Slots;
  private readonly readers: Map<string, HeaderReader>;
  private readonly validators: Map<string, Validator>;
  private readonly parsers: Map<string, Parser>;
  private readonly mappings: Map<string, Mapping>;
  private readonly lanes = new Map<string, Lane>();
  private readonly concurrency: number;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private idle: Array<() => void> = [];

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.auditSink = options.audit ?? storeAuditSink(options.store, options.clock ?? systemClock);
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.registry = options.steps ?? new StepRegistry();
    this.readers = new Map(Object.entries(options.headerReaders ?? {}));
    this.validators = new Map(Object.entries(options.validators ?? {}));
    this.parsers = new Map<string, Parser>([['application/json', jsonParser], ['application/fhir+json', jsonParser], ...Object.entries(options.parsers ?? {})]);
    this.mappings = new Map(Object.entries(options.mappings ?? {}));
    this.slots = new Slots(options.maxInFlight ?? 5000);
    this.concurrency = options.processingConcurrency ?? 32;
    this.dispatcher = new Dispatcher(this.store, (c, d) => this.resolveDestination(c, d), () => this.destinationRefs(), this.events, this.clock, options.deliveryConcurrency ?? 64);
  }

  /** Register or replace the header reader of a content type (the lead wires the codecs' readers). */
  setHeaderReader(contentType: string, reader: HeaderReader): void {
    this.readers.set(contentType, reader);
  }

  setParser(contentType: string, parser: Parser): void {
    this.parsers.set(contentType, parser);
  }

  setMapping(name: string, mapping: Mapping): void {
    this.mappings.set(name, mapping);
  }

  /**
   * Add, change and remove channels. All definitions are compiled first, so a bad one changes
   * nothing. Messages already in processing finish with the definition they started with.
   */
  applyChannels(definitions: ChannelDefinition[]): { added: string[]; changed: string[]; removed: string[] } {
    const next = new Map<string, CompiledChannel>();
    for (const def of definitions) next.set(def.name, this.compile(def));
    const added = [...next.keys()].filter((n) => !this.channels.has(n));
    const removed = [...this.channels.keys()].filter((n) => !next.has(n));
    const changed = [...next.keys()].filter((n) => this.channels.has(n) && this.channels.get(n)?.def !== next.get(n)?.def);
    this.channels = next;
    this.dispatcher.wake();
    return { added, changed, removed };
  }

  private compile(def: ChannelDefinition): CompiledChannel {
    const services = { mappings: this.mappings };
    const steps: Array<{ name: string; fn: StepFunction }> = (def.steps ?? []).map((s, i) => ({
      name: s.use,
      fn: this.registry.build(s.use, s.with ?? {}, services, `channels.${def.name}.steps[${i}]`),
    }));
    return { def, steps };
  }

  /** Every destination of every configured channel, for the dispatcher's claims. */
  private destinationRefs(): DestinationRef[] {
    return [...this.channels.values()].flatMap((c) => c.def.destinations.map((d) => ({ channel: c.def.name, destination: d.name })));
  }

  private resolveDestination(channel: string, destination: string): ResolvedDestination | undefined {
    const c = this.channels.get(channel);
    const d = c?.def.destinations.find((x) => x.name === destination);
    return c && d ? { def: d, ordered: c.def.ordered === true } : undefined;
  }

  /** Resume from the journal (crash recovery), then start delivering. */
  async start(): Promise<void> {
    if (this.state === 'running') return;
    await this.store.resetInFlight();
    let after: string | undefined;
    for (;;) {
      const page = await this.store.listUnprocessed(after, 500);
      if (page.length === 0) break;
      for (const m of page) {
        after = m.envelope.id;
        const channel = this.channels.get(m.envelope.channel);
        if (!channel) continue; // its channel is gone: it stays `received` until the channel returns
        const payload = await this.store.loadPayload(m.envelope.id);
        if (!payload) continue;
        await this.slots.acquire();
        this.enqueue({ channel, envelope: m.envelope, payload });
      }
    }
    this.state = 'running';
    this.dispatcher.start();
  }

  /**
   * IdempotentReceiver + journal: resolves only after the durable commit. Throws LoomError
   * (`channel.unknown`, `intake.paused`, `intake.stopped`, `store.*`) when the message was NOT stored.
   */
  async receive(request: InboundRequest): Promise<IntakeReceipt> {
    const t0 = performance.now();
    const channel = this.channels.get(request.channel);
    if (!channel) throw new LoomError('channel.unknown', `No channel named "${request.channel}"`, { hint: 'check the channel name in loom.config.yaml' });
    if (this.state !== 'running') throw new LoomError('intake.stopped', 'The engine is not running; the message was not stored', { hint: 'retry after start' });
    if (this.paused.has(channel.def.name)) {
      throw new LoomError('intake.paused', `Channel ${channel.def.name} is paused; the message was not stored`, { hint: 'resume the channel or retry later' });
    }
    await this.slots.acquire();
    let release = true;
    try {
      const { entry } = prepareEntry(channel.def, request, this.readers, this.validators, this.clock.now());
      const traceparent = entry.envelope.headers.traceparent;
      this.events.emit('received', { channel: channel.def.name, messageId: entry.envelope.id, bytes: request.payload.byteLength, ...(traceparent ? { traceparent } : {}) });
      const result = await this.store.journal(entry);
      const ackMode = channel.def.ackMode ?? 'original';
      const receipt: IntakeReceipt = {
        messageId: result.id, outcome: result.outcome, ackMode, errors: entry.errors ?? [], ...(entry.controlId ? { controlId: entry.controlId } : {}),
      };
      if (result.outcome === 'accepted') {
        release = false;
        this.enqueue({ channel, envelope: entry.envelope, payload: entry.payload });
      } else if (result.outcome === 'duplicate') {
        this.events.emit('duplicate', { channel: channel.def.name, messageId: result.id, ...(result.duplicateOf ? { duplicateOf: result.duplicateOf } : {}) });
      } else {
        this.events.emit('rejected', { channel: channel.def.name, messageId: result.id, errors: receipt.errors });
      }
      this.events.emit('acked', { channel: channel.def.name, messageId: result.id, outcome: result.outcome, latencyMs: performance.now() - t0 });
      return receipt;
    } catch (e) {
      throw toLoomError(e, 'store.unavailable');
    } finally {
      if (release) this.slots.release();
    }
  }

  /** Queue journaled work; ordered channels run one at a time so outbox order is arrival order. */
  protected enqueue(work: Work): void {
    const name = work.channel.def.name;
    let lane = this.lanes.get(name);
    if (!lane) this.lanes.set(name, (lane = { queue: [], running: 0 }));
    lane.queue.push(work);
    this.drain(lane);
  }

  private drain(lane: Lane): void {
    while (lane.queue.length > 0) {
      const limit = lane.queue[0].channel.def.ordered ? 1 : this.concurrency;
      if (lane.running >= limit) return;
      const work = lane.queue.shift() as Work;
      lane.running++;
      void this.process(work).finally(() => {
        lane.running--;
        this.slots.release();
        this.drain(lane);
        if (this.slots.inUse === 0) for (const fn of this.idle.splice(0)) fn();
      });
    }
  }

  private async process(work: Work): Promise<void> {
    const { channel, envelope } = work;
    try {
      const completion = await runPipeline(channel, envelope, work.payload, this.parsers, this.logger, (t) => this.events.emit('step', t));
      await this.store.complete(completion);
      this.events.emit('processed', { channel: channel.def.name, messageId: envelope.id, status: completion.status, ...(completion.error ? { error: completion.error } : {}) });
      for (const child of completion.children) {
        this.slots.force();
        this.enqueue({ channel, envelope: child.envelope, payload: child.payload });
      }
      if (completion.outbox.length > 0) this.dispatcher.wake();
    } catch (e) {
      // The message stays `received` in the journal (a restart resumes it too); while running,
      // try again with backoff so it moves on once the store can write again.
      this.events.emit('error', toLoomError(e, 'engine.process', `${channel.def.name} message ${envelope.id}`));
      this.retryLater(work);
    }
  }

  private retryLater(work: Work): void {
    const failures = (work.storeFailures ?? 0) + 1;
    const delay = Math.min(MAX_COMPLETION_BACKOFF_MS, 500 * 2 ** (failures - 1));
    setTimeout(() => {
      if (this.state !== 'running') return;
      this.slots.force();
      this.enqueue({ ...work, storeFailures: failures });
    }, delay).unref();
  }

  /** Resolves when no message is between intake and completed processing. */
  whenIdle(): Promise<void> {
    return this.slots.inUse === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  /** Graceful shutdown: refuse new intake, finish processing and in-flight deliveries, close the store. */
  async stop(options: { closeStore?: boolean } = {}): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    await this.whenIdle();
    await this.dispatcher.stop();
    this.state = 'stopped';
    if (options.closeStore !== false) await this.store.close();
  }

  get running(): boolean {
    return this.state === 'running';
  }
}
