import type { OperatorAction } from './store.js';

/** One audited action: who did what to which thing, with detail. */
export interface AuditEntry {
  /** The acting identity (`ana`, `api-key:ops`, `system:ehr`). */
  actor: string;
  /** Dotted verb, e.g. `channel.pause`, `message.replay`, `config.reload`, `crosswalk.publish`. */
  action: string;
  /** What it acted on: a channel name, message id, `crosswalk/charge-codes@2`. */
  target: string;
  detail?: Record<string, unknown>;
}

/**
 * The audit port the engine and the API write operator actions to. Loom wires the hash-chained
 * governance audit log (`src/governance/audit`); a bare Engine falls back to the store's
 * operator-action table.
 */
export interface AuditSink {
  append(entry: AuditEntry): Promise<unknown>;
  /** The latest actions, newest first. */
  recent(limit: number): Promise<OperatorAction[]>;
}
