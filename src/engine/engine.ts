import { LoomError, newId } from '../kernel/index.js';
import type { DeadLetter, MessageDetail, MessageQuery, OperatorAction, Page, ParkedKey, PruneResult, RetentionPolicy, StoredMessage } from '../kernel/store.js';
import { EngineCore, type EngineOptions } from './core.js';
import type { DestinationTally } from './delivery.js';
import { Headers } from './pipeline.js';

/** Who did it and (for audit) why. */
export interface Actor {
  actor: string;
  note?: string;
}

export interface ChannelStatus {
  name: string;
  paused: boolean;
  ordered: boolean;
  /** Messages in the store by status (a message moves on from `received`, so see `received` below). */
  counts: Record<string, number>;
  /** Every message the store holds for the channel, whatever its status now. */
  received: number;
  /** Per destination: breaker state and counts since this process started. */
  destinations: Array<{ name: string } & DestinationTally>;
}

export const defaultRetention: RetentionPolicy = { processedMs: 7 * 86_400_000, errorMs: 30 * 86_400_000, deadLetterMs: 90 * 86_400_000 };

/**
 * The Loom engine: intake (kernel `Intake`), channels, delivery, and the operator actions
 * (pause, search, replay, resend, edit-and-resend, dead letters, parked keys, retention).
 *
 * @example
 * const engine = new Engine({ store: await openSqliteStore({ dataDir: '.loom' }) });
 * engine.applyChannels([{ name: 'adt', sourceSystem: 'ehr', contentType: 'text/plain', destinations: [{ name: 'erp', connector }] }]);
 * await engine.start();
 * const receipt = await engine.receive({ channel: 'adt', payload });
 */
export class Engine extends EngineCore {
  private retentionTimer: NodeJS.Timeout | undefined;

  constructor(options: EngineOptions) {
    super(options);
  }

  pause(channel: string, who: Actor): Promise<void> {
    this.requireChannel(channel);
    this.paused.add(channel);
    return this.audit(who, 'channel.pause', channel);
  }

  resume(channel: string, who: Actor): Promise<void> {
    this.requireChannel(channel);
    this.paused.delete(channel);
    return this.audit(who, 'channel.resume', channel);
  }

  async channelStatus(): Promise<ChannelStatus[]> {
    const out: ChannelStatus[] = [];
    for (const [name, c] of this.channels) {
      const counts = await this.store.countByStatus(name);
      const received = Object.values(counts).reduce((sum, n) => sum + n, 0);
      const destinations = c.def.destinations.map((d) => ({ name: d.name, ...this.dispatcher.destinationStatus(name, d.name) }));
      out.push({ name, paused: this.paused.has(name), ordered: c.def.ordered === true, counts, received, destinations });
    }
    return out;
  }

  search(query: MessageQuery): Promise<Page<StoredMessage>> {
    return this.store.search(query);
  }

  show(messageId: string): Promise<MessageDetail | undefined> {
    return this.store.show(messageId);
  }

  /**
   * Run a message through its channel again as a new message (causation = the original).
   * Effects keep their idempotency keys, so idempotent receivers ignore what they already have,
   * unless `asNew` (audited). Returns the new message id.
   */
  async replay(messageId: string, who: Actor & { asNew?: boolean; payload?: Uint8Array }): Promise<string> {
    const original = await this.requireMessage(messageId);
    const channel = this.requireChannel(original.envelope.channel);
    const id = newId(this.clock.now());
    const base = who.asNew ? id : (original.envelope.headers[Headers.effectBase] ?? original.envelope.id);
    const headers: Record<string, string> = { ...original.envelope.headers, [Headers.effectBase]: base, [Headers.replayOf]: original.envelope.id };
    delete headers[Headers.resumeAt];
    const envelope = { ...original.envelope, id, causationId: original.envelope.id, receivedAt: new Date(this.clock.now()).toISOString(), headers };
    const payload = who.payload ?? original.payload;
    await this.slots.acquire();
    try {
      await this.store.journal({ envelope, payload, status: 'received', ...(original.controlId ? { controlId: original.controlId } : {}) });
    } catch (e) {
      this.slots.release();
      throw e;
    }
    this.enqueue({ channel, envelope, payload });
    await this.audit(who, who.payload ? 'message.edit-resend' : who.asNew ? 'message.replay-as-new' : 'message.replay', messageId, { newMessageId: id });
    return id;
  }

  /** Replay every message a search finds (all pages). Returns the new ids. */
  async replaySearch(query: MessageQuery, who: Actor & { asNew?: boolean }): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.search({ ...query, ...(cursor ? { cursor } : {}), limit: 500 });
      for (const m of page.items) ids.push(m.envelope.id);
      cursor = page.nextCursor;
    } while (cursor);
    const out: string[] = [];
    for (const id of ids.reverse()) out.push(await this.replay(id, who)); // oldest first keeps per-key order
    return out;
  }

  /** Edit-and-resend: the edit is stored beside the original (never overwriting it) and runs as a new message. */
  async editAndResend(messageId: string, payload: Uint8Array, who: Actor & { asNew?: boolean }): Promise<string> {
    await this.requireMessage(messageId);
    await this.store.saveEdit({ id: newId(this.clock.now()), messageId, payload, createdAt: this.clock.now(), actor: who.actor, ...(who.note ? { note: who.note } : {}) });
    return this.replay(messageId, { ...who, payload });
  }

  /** Deliver a message's effect to one destination again; same idempotency key unless `asNew`. Returns the outbox id. */
  async resend(messageId: string, destination: string, who: Actor & { asNew?: boolean }): Promise<string> {
    const m = await this.requireMessage(messageId);
    const previous = [...m.deliveries].reverse().find((d) => d.destination === destination);
    if (!previous) {
      throw new LoomError('message.destination-unknown', `Message ${messageId} was never routed to ${destination}`, { hint: `it went to: ${m.deliveries.map((d) => d.destination).join(', ') || 'nowhere'}` });
    }
    const id = newId(this.clock.now());
    await this.store.enqueueOutbox([{
      id, messageId, channel: previous.channel, destination, idempotencyKey: who.asNew ? `${previous.idempotencyKey}#${id}` : previous.idempotencyKey,
      ...(previous.orderingKey ? { orderingKey: previous.orderingKey } : {}), payload: previous.payload, contentType: previous.contentType, headers: previous.headers,
    }], this.clock.now());
    await this.audit(who, who.asNew ? 'message.resend-as-new' : 'message.resend', messageId, { destination, outboxId: id });
    this.dispatcher.wake();
    return id;
  }

  listDeadLetters(query: { channel?: string; includeDiscarded?: boolean; cursor?: string; limit?: number } = {}): Promise<Page<DeadLetter>> {
    return this.store.listDeadLetters(query);
  }

  /** Put a dead letter back on its outbox (same idempotency key) for delivery now. */
  async replayDeadLetter(id: string, who: Actor): Promise<void> {
    const dl = await this.store.getDeadLetter(id);
    if (!dl) throw new LoomError('dead-letter.unknown', `No dead letter ${id}`, { hint: 'list them with `loom dlq`' });
    await this.store.requeueDeadLetter(id, this.clock.now());
    await this.audit(who, 'dead-letter.replay', id, { messageId: dl.messageId });
    this.dispatcher.wake();
  }

  async discardDeadLetter(id: string, reason: string, who: Actor): Promise<void> {
    await this.store.discardDeadLetter(id, reason);
    await this.audit(who, 'dead-letter.discard', id, { reason });
  }

  listParked(channel?: string): Promise<ParkedKey[]> {
    return this.store.listParked(channel);
  }

  /** Release a parked ordering key: its messages resume in their original order. */
  async releaseParked(channel: string, destination: string, orderingKey: string, who: Actor): Promise<number> {
    const n = await this.store.releaseParked(channel, destination, orderingKey, this.clock.now());
    await this.audit(who, 'parked.release', `${channel}/${destination}/${orderingKey}`, { resumed: n });
    this.dispatcher.wake();
    return n;
  }

  /** The latest audited actions, newest first (from the audit sink the engine writes to). */
  listActions(limit = 100): Promise<OperatorAction[]> {
    return this.auditSink.recent(limit);
  }

  /** Run retention once: each channel with its own `retention` by that, the rest by `policy`. */
  async prune(policy: RetentionPolicy = defaultRetention): Promise<PruneResult> {
    const own = [...this.channels.values()].filter((c) => c.def.retention);
    const total: PruneResult = { messagesDeleted: 0, deadLettersDeleted: 0, pagesFreed: 0 };
    const add = (r: PruneResult) => {
      total.messagesDeleted += r.messagesDeleted;
      total.deadLettersDeleted += r.deadLettersDeleted;
      total.pagesFreed += r.pagesFreed;
    };
    for (const c of own) add(await this.store.prune({ ...policy, ...c.def.retention }, this.clock.now(), { channels: [c.def.name] }));
    add(await this.store.prune(policy, this.clock.now(), { exceptChannels: own.map((c) => c.def.name) }));
    return total;
  }

  /** Prune every `intervalMs` until stop. */
  startRetention(policy: RetentionPolicy = defaultRetention, intervalMs = 3_600_000): void {
    this.retentionTimer = setInterval(() => {
      this.prune(policy).catch((e: unknown) => this.events.emit('error', e instanceof LoomError ? e : new LoomError('store.prune', String(e))));
    }, intervalMs);
    this.retentionTimer.unref();
  }

  override async stop(options: { closeStore?: boolean } = {}): Promise<void> {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    await super.stop(options);
  }

  private requireChannel(name: string) {
    const c = this.channels.get(name);
    if (!c) throw new LoomError('channel.unknown', `No channel named "${name}"`, { hint: 'check the channel name in loom.config.yaml' });
    return c;
  }

  private async requireMessage(id: string): Promise<MessageDetail> {
    const m = await this.store.show(id);
    if (!m) throw new LoomError('message.unknown', `No message ${id}`, { hint: 'it may have been pruned by retention' });
    return m;
  }

  private audit(who: Actor, action: string, target: string, detail?: Record<string, unknown>): Promise<void> {
    return this.auditSink.append({ actor: who.actor, action, target, detail: { ...detail, ...(who.note ? { note: who.note } : {}) } }).then(() => undefined);
  }
}
