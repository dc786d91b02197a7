import { createHash } from 'node:crypto';
import type { AuditEntry, AuditRecord, ChainHead } from './types.js';

/** What row 1 links to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth and no whitespace: one byte string per value, so a
 * hash computed on one node (or after a round trip through a database) is computed again the same.
 *
 * @example canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] }) // '{"a":[true,{"c":"x","d":null}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The fields a row's hash covers, in order. */
export type HashedFields = Pick<AuditRecord, 'seq' | 'at' | 'actor' | 'action' | 'target' | 'detail' | 'prevHash'>;

/**
 * SHA-256 (hex) of a row's canonical serialization: `[seq, at, actor, action, target, detail, prevHash]`.
 *
 * @example rowHash({ seq: 1, at: '2026-01-01T00:00:00.000Z', actor: 'ana', action: 'channel.pause', target: 'adt', detail: {}, prevHash: GENESIS_HASH })
 */
export function rowHash(row: HashedFields): string {
  const serialized = canonicalJson([row.seq, row.at, row.actor, row.action, row.target, row.detail, row.prevHash]);
  return createHash('sha256').update(serialized, 'utf8').digest('hex');
}

/**
 * The next row of the chain after `head` (undefined: an empty log). The detail goes through a JSON
 * round trip first, so what is hashed is exactly what a store keeps (no `undefined`, no Dates).
 *
 * @example nextRecord(undefined, { actor: 'ana', action: 'channel.pause', target: 'adt' }, '2026-01-01T00:00:00.000Z').seq // 1
 */
export function nextRecord(head: ChainHead | undefined, entry: AuditEntry, at: string): AuditRecord {
  const detail = JSON.parse(canonicalJson(entry.detail ?? {})) as Record<string, unknown>;
  const fields: HashedFields = {
    seq: (head?.seq ?? 0) + 1,
    at,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    detail,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  return { ...fields, hash: rowHash(fields) };
}

/** How one row stands against the chain verified so far. */
export interface RowCheck {
  /** The row sits where it should (seq = expected). */
  inPlace: boolean;
  /** Its content hashes, at the expected seq, to its stored hash. */
  intact: boolean;
  /** Its prevHash is the previous row's hash. */
  linked: boolean;
}

/** Check `row` as row `expected` after a row whose hash is `prevHash`. */
export function checkRow(row: AuditRecord, expected: number, prevHash: string): RowCheck {
  return {
    inPlace: row.seq === expected,
    intact: rowHash({ ...row, seq: expected }) === row.hash,
    linked: row.prevHash === prevHash,
  };
}

/**
 * Whether `row`'s content hashes to its stored hash as if it were written at a later seq (up to
 * `window` further): the sign of rows deleted before it and the rest renumbered. Returns that seq.
 */
export function writtenAt(row: AuditRecord, expected: number, window = 1000): number | undefined {
  for (let seq = expected + 1; seq <= expected + window; seq += 1) if (rowHash({ ...row, seq }) === row.hash) return seq;
  return undefined;
}
