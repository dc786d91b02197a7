import { systemClock, type Clock } from '../../kernel/ports.js';
import type { AuditEntry, AuditSink } from '../../kernel/audit.js';
import { LoomError } from '../../kernel/errors.js';
import type { OperatorAction, Page } from '../../kernel/store.js';
import { nextRecord } from './chain.js';
import type { AuditQuery, AuditRecord, AuditStore, ChainHead, VerifyResult } from './types.js';
import { verifyChain } from './verify.js';

/**
 * Loom's one append-only, hash-chained audit log: every operator action, configuration change and
 * governance decision, each row holding the SHA-256 of the previous row.
 *
 * @example
 * const audit = new AuditLog(await openSqliteAuditStore({ dataDir: '.loom' }));
 * await audit.append({ actor: 'ana', action: 'channel.pause', target: 'ehr-adt', detail: { note: 'ERP maintenance' } });
 * (await audit.verify()).ok // true
 */
export class AuditLog implements AuditSink {
  constructor(readonly store: AuditStore, private readonly clock: Clock = systemClock) {}

  /** Append one entry (under the store's lock) and return the stored row with its hash. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    checkEntry(entry);
    return this.store.append((head) => nextRecord(head, entry, new Date(this.clock.now()).toISOString()));
  }

  list(query: AuditQuery = {}): Promise<Page<AuditRecord>> {
    return this.store.query(query);
  }

  head(): Promise<ChainHead | undefined> {
    return this.store.head();
  }

  /** Re-hash the whole chain; names the first edited, deleted or reordered row. */
  verify(): Promise<VerifyResult> {
    return verifyChain(this.store);
  }

  /** The latest rows as operator actions (the engine's `listActions`). */
  async recent(limit: number): Promise<OperatorAction[]> {
    const page = await this.store.query({ limit });
    return page.items.map((r) => ({ id: String(r.seq), at: Date.parse(r.at), actor: r.actor, action: r.action, target: r.target, detail: r.detail }));
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

function checkEntry(entry: AuditEntry): void {
  for (const field of ['actor', 'action', 'target'] as const) {
    if (typeof entry[field] !== 'string' || entry[field].length === 0) {
      throw new LoomError('audit.entry.invalid', `an audit entry needs a non-empty ${field}`, {
        location: field, hint: 'append({ actor, action, target, detail }) with strings for the first three',
      });
    }
  }
}
