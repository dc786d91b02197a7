import type {
  Completion, DeadLetter, DestinationRef, EditRecord, JournalEntry, JournalResult, MessageDetail, MessageQuery, NewOutboxRow, OperatorAction,
  OutboxRow, Page, ParkedKey, PruneResult, RetentionPolicy, Store, StoreStats, StoredMessage,
} from '../../kernel/store.js';
import type { PayloadCipher } from './cipher.js';

/**
 * The Store port with payloads encrypted at rest: every payload written (journaled messages,
 * derived children, outbox rows, edits) is encrypted with the current key, every payload read is
 * decrypted. Metadata (status, ids, extracted business keys, errors) stays as it is, so search and
 * the hot path's indexes are unchanged. A decorator: the SQLite and PostgreSQL adapters do not change.
 *
 * @example const store = new EncryptedStore(await openSqliteStore({ dataDir }), new PayloadCipher({ id: 'k1', key }));
 */
export class EncryptedStore implements Store {
  readonly kind: string;

  constructor(private readonly inner: Store, private readonly cipher: PayloadCipher) {
    this.kind = inner.kind;
  }

  private readonly seal = (p: Uint8Array): Uint8Array => this.cipher.encrypt(p);
  private readonly open = (p: Uint8Array): Uint8Array => this.cipher.decrypt(p);
  private readonly sealRow = (r: NewOutboxRow): NewOutboxRow => (r.payload ? { ...r, payload: this.seal(r.payload) } : r);
  private readonly openRow = (r: OutboxRow): OutboxRow => ({ ...r, payload: this.open(r.payload) });

  migrate(): Promise<string[]> {
    return this.inner.migrate();
  }

  journal(entry: JournalEntry): Promise<JournalResult> {
    return this.inner.journal({ ...entry, payload: this.seal(entry.payload) });
  }

  listUnprocessed(afterId: string | undefined, limit: number): Promise<StoredMessage[]> {
    return this.inner.listUnprocessed(afterId, limit);
  }

  async loadPayload(messageId: string): Promise<Uint8Array | undefined> {
    const p = await this.inner.loadPayload(messageId);
    return p ? this.open(p) : undefined;
  }

  complete(c: Completion): Promise<void> {
    return this.inner.complete({ ...c, outbox: c.outbox.map(this.sealRow), children: c.children.map((child) => ({ ...child, payload: this.seal(child.payload) })) });
  }

  async claimDue(now: number, limit: number, exclude: ReadonlySet<string>, targets: readonly DestinationRef[]): Promise<OutboxRow[]> {
    return (await this.inner.claimDue(now, limit, exclude, targets)).map(this.openRow);
  }

  nextDueAt(targets?: readonly DestinationRef[]): Promise<number | undefined> {
    return this.inner.nextDueAt(targets);
  }

  markDelivered(outboxId: string, now: number, response?: string): Promise<void> {
    return this.inner.markDelivered(outboxId, now, response);
  }

  markRetry(outboxId: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    return this.inner.markRetry(outboxId, attempts, nextAttemptAt, error);
  }

  markDead(outboxId: string, attempts: number, error: { code: string; message: string }, now: number): Promise<DeadLetter> {
    return this.inner.markDead(outboxId, attempts, error, now);
  }

  park(outboxId: string, attempts: number, error: { code: string; message: string }, now: number): Promise<void> {
    return this.inner.park(outboxId, attempts, error, now);
  }

  listParked(channel?: string): Promise<ParkedKey[]> {
    return this.inner.listParked(channel);
  }

  releaseParked(channel: string, destination: string, orderingKey: string, now: number): Promise<number> {
    return this.inner.releaseParked(channel, destination, orderingKey, now);
  }

  resetInFlight(): Promise<number> {
    return this.inner.resetInFlight();
  }

  search(query: MessageQuery): Promise<Page<StoredMessage>> {
    return this.inner.search(query);
  }

  async show(messageId: string): Promise<MessageDetail | undefined> {
    const m = await this.inner.show(messageId);
    return m ? { ...m, payload: this.open(m.payload), deliveries: m.deliveries.map(this.openRow), edits: m.edits.map((e) => ({ ...e, payload: this.open(e.payload) })) } : undefined;
  }

  listDeadLetters(query: { channel?: string; includeDiscarded?: boolean; cursor?: string; limit?: number }): Promise<Page<DeadLetter>> {
    return this.inner.listDeadLetters(query);
  }

  getDeadLetter(id: string): Promise<DeadLetter | undefined> {
    return this.inner.getDeadLetter(id);
  }

  requeueDeadLetter(id: string, now: number): Promise<void> {
    return this.inner.requeueDeadLetter(id, now);
  }

  discardDeadLetter(id: string, reason: string): Promise<void> {
    return this.inner.discardDeadLetter(id, reason);
  }

  async getOutbox(outboxId: string): Promise<OutboxRow | undefined> {
    const r = await this.inner.getOutbox(outboxId);
    return r ? this.openRow(r) : undefined;
  }

  enqueueOutbox(rows: NewOutboxRow[], now: number): Promise<void> {
    return this.inner.enqueueOutbox(rows.map(this.sealRow), now);
  }

  saveEdit(edit: EditRecord): Promise<void> {
    return this.inner.saveEdit({ ...edit, payload: this.seal(edit.payload) });
  }

  recordAction(action: OperatorAction): Promise<void> {
    return this.inner.recordAction(action);
  }

  listActions(limit: number): Promise<OperatorAction[]> {
    return this.inner.listActions(limit);
  }

  countByStatus(channel: string): Promise<Record<string, number>> {
    return this.inner.countByStatus(channel);
  }

  sizeBytes(): Promise<number> {
    return this.inner.sizeBytes();
  }

  prune(policy: RetentionPolicy, now: number, scope?: { channels?: string[]; exceptChannels?: string[] }): Promise<PruneResult> {
    return this.inner.prune(policy, now, scope);
  }

  backup(file: string): Promise<void> {
    return this.inner.backup(file);
  }

  stats(): StoreStats {
    return this.inner.stats();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
