import type { AuditEntry } from '../../kernel/audit.js';
import type { Page } from '../../kernel/store.js';

/**
 * One row of the audit log as stored: the entry, its position, when, and the hash chain.
 * `hash` = SHA-256 of the canonical serialization of (seq, at, actor, action, target, detail, prevHash).
 */
export interface AuditRecord {
  /** 1, 2, 3, … without gaps. */
  seq: number;
  /** ISO 8601 UTC (`2026-12-05T15:43:08.123Z`). */
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
  /** The previous row's hash; 64 zeros for row 1. */
  prevHash: string;
  hash: string;
}

/** The last row of the chain: what the next row links to. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** Filters of `GET /api/v1/audit`; every field narrows (AND). */
export interface AuditQuery {
  actor?: string;
  action?: string;
  target?: string;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  /** Rows with seq < cursor (newest first). */
  cursor?: number;
  limit?: number;
}

/**
 * The audit log's store port. `append` must serialize appenders (several Loom nodes may share a
 * PostgreSQL store): it reads the head, lets `build` make the row and inserts it, all under one
 * exclusive lock, so the chain stays linear.
 */
export interface AuditStore {
  readonly kind: string;
  append(build: (head: ChainHead | undefined) => AuditRecord): Promise<AuditRecord>;
  head(): Promise<ChainHead | undefined>;
  /** Rows with seq > afterSeq, ascending, at most `limit`. */
  scan(afterSeq: number, limit: number): Promise<AuditRecord[]>;
  /** The row whose stored hash is `hash` (verification uses it to tell a reorder from an edit). */
  findByHash(hash: string): Promise<AuditRecord | undefined>;
  query(query: AuditQuery): Promise<Page<AuditRecord>>;
  close(): Promise<void>;
}

export type ChainProblem = 'edited' | 'deleted' | 'reordered';

/** What `loom audit verify` reports. */
export type VerifyResult =
  | { ok: true; rows: number; head?: ChainHead }
  | { ok: false; rows: number; seq: number; problem: ChainProblem; message: string };

export type { AuditEntry };
