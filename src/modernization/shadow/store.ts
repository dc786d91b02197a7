import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LoomConfig } from '../../config/schema.js';
import { pgExecutor, sqliteExecutor, type SqlExecutor } from '../../store/sql.js';
import { applyMigrations, loadMigrations } from '../../store/sqlite/migrate.js';
import { openPgPool } from '../../store/postgres/pool.js';
import type { OutputDifference } from './compare.js';

export type ShadowStatus = 'loom-only' | 'legacy-only' | 'match' | 'differ';

export interface ShadowRow {
  channel: string;
  destination: string;
  key: string;
  status: ShadowStatus;
  loomPayload?: string;
  legacyPayload?: string;
  loomAt?: string;
  legacyAt?: string;
  differences: OutputDifference[];
  updatedAt: string;
}

interface Raw {
  channel: string; destination: string; message_key: string; status: ShadowStatus;
  loom_payload: string | null; legacy_payload: string | null; loom_at: string | null; legacy_at: string | null; differences: string; updated_at: string;
}

const toRow = (r: Raw): ShadowRow => ({
  channel: r.channel, destination: r.destination, key: r.message_key, status: r.status,
  ...(r.loom_payload !== null ? { loomPayload: r.loom_payload } : {}), ...(r.legacy_payload !== null ? { legacyPayload: r.legacy_payload } : {}),
  ...(r.loom_at !== null ? { loomAt: r.loom_at } : {}), ...(r.legacy_at !== null ? { legacyAt: r.legacy_at } : {}),
  differences: JSON.parse(r.differences) as OutputDifference[], updatedAt: r.updated_at,
});

/** Shadow outputs on either store, written once over the SqlExecutor port. */
export class ShadowStore {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Record one side's output and, when the other side is there, the comparison `decide` makes;
   * in one transaction, so two sides arriving at once never both see "only me".
   */
  record(side: 'loom' | 'legacy', row: { channel: string; destination: string; key: string; payload: string; at: string },
    decide: (loom: string | undefined, legacy: string | undefined) => { status: ShadowStatus; differences: OutputDifference[] }): Promise<ShadowRow> {
    return this.db.transaction(async (tx) => {
      const where = [row.channel, row.destination, row.key];
      const found = await tx.get<Raw>('SELECT * FROM shadow_outputs WHERE channel = ? AND destination = ? AND message_key = ?', where);
      const loom = side === 'loom' ? row.payload : found?.loom_payload ?? undefined;
      const legacy = side === 'legacy' ? row.payload : found?.legacy_payload ?? undefined;
      const { status, differences } = decide(loom, legacy);
      const loomAt = side === 'loom' ? row.at : found?.loom_at ?? null;
      const legacyAt = side === 'legacy' ? row.at : found?.legacy_at ?? null;
      if (found) {
        await tx.run('UPDATE shadow_outputs SET loom_payload = ?, loom_at = ?, legacy_payload = ?, legacy_at = ?, status = ?, differences = ?, updated_at = ? WHERE channel = ? AND destination = ? AND message_key = ?',
          [loom ?? null, loomAt, legacy ?? null, legacyAt, status, JSON.stringify(differences), row.at, ...where]);
      } else {
        await tx.run('INSERT INTO shadow_outputs (channel, destination, message_key, loom_payload, loom_at, legacy_payload, legacy_at, status, differences, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)',
          [...where, loom ?? null, loomAt, legacy ?? null, legacyAt, status, JSON.stringify(differences), row.at]);
      }
      return toRow((await tx.get<Raw>('SELECT * FROM shadow_outputs WHERE channel = ? AND destination = ? AND message_key = ?', where))!);
    });
  }

  /** Counts per status for each shadowed channel. */
  async summary(): Promise<Array<{ channel: string } & Record<ShadowStatus, number>>> {
    const rows = await this.db.all<{ channel: string; status: ShadowStatus; n: number | string }>('SELECT channel, status, COUNT(*) AS n FROM shadow_outputs GROUP BY channel, status ORDER BY channel');
    const by = new Map<string, { channel: string } & Record<ShadowStatus, number>>();
    for (const r of rows) {
      const entry = by.get(r.channel) ?? { channel: r.channel, 'loom-only': 0, 'legacy-only': 0, match: 0, differ: 0 };
      entry[r.status] = Number(r.n);
      by.set(r.channel, entry);
    }
    return [...by.values()];
  }

  /** A channel's rows, newest first, optionally of one status. */
  async list(channel: string, options: { status?: ShadowStatus; limit: number }): Promise<ShadowRow[]> {
    const rows = options.status
      ? await this.db.all<Raw>('SELECT * FROM shadow_outputs WHERE channel = ? AND status = ? ORDER BY updated_at DESC, message_key LIMIT ?', [channel, options.status, options.limit])
      : await this.db.all<Raw>('SELECT * FROM shadow_outputs WHERE channel = ? ORDER BY updated_at DESC, message_key LIMIT ?', [channel, options.limit]);
    return rows.map(toRow);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** The shadow store beside the message store: the same SQLite file, or the same PostgreSQL schema. */
export async function openShadowStore(store: LoomConfig['store']): Promise<ShadowStore> {
  if (store.kind === 'postgres') return new ShadowStore(pgExecutor(await openPgPool({ url: store.url, ...(store.schema ? { schema: store.schema } : {}) }, 'shadow store')));
  const dataDir = path.resolve(store.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'loom.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  applyMigrations(db, loadMigrations().filter((m) => m.name.endsWith('_shadow_outputs')));
  return new ShadowStore(sqliteExecutor(db));
}
