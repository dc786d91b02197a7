import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LoomError } from '../kernel/errors.js';
import { loadCrosswalkCsv, type CrosswalkRow } from '../mappings/crosswalk.js';
import { openPgPool, type PgLocation } from '../store/postgres/index.js';
import { pgExecutor, sqliteExecutor, type SqlExecutor } from '../store/sql.js';
import { applyMigrations, loadMigrations } from '../store/sqlite/migrate.js';
import { CrosswalkCsvInvalid, crosswalkUnknown, invalidDate, versionExists, versionPublished, versionUnknown } from './errors.js';
import { diffRows, normalizeRow, rowKey, type CrosswalkDiff } from './rows.js';
import type { CrosswalkChange, CrosswalkRepository, CrosswalkSummary, CrosswalkVersionDetail, CrosswalkVersionInfo, DraftOptions, ImportOptions, RowEdit } from './types.js';

interface VersionRecord {
  name: string;
  version: string;
  status: 'draft' | 'published';
  effective_date: string;
  author: string;
  note: string | null;
  created_at: string;
  published_at: string | null;
  published_by: string | null;
  row_count: number;
}

// COUNT(*) is BIGINT on PostgreSQL: the pool parses it to a number
const SELECT_VERSION = `SELECT v.*, (SELECT COUNT(*) FROM crosswalk_rows r WHERE r.name = v.name AND r.version = v.version) AS row_count FROM crosswalk_versions v`;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * Open the crosswalk repository on `<dataDir>/loom.db` with its own connection (WAL), applying the
 * crosswalk migration when missing.
 *
 * @example
 * const crosswalks = openCrosswalkRepository({ dataDir: './.loom' });
 * await crosswalks.importCsv('charge-codes', csv, { author: 'ana', effectiveDate: '2025-01-01' });
 */
export function openCrosswalkRepository(options: { dataDir: string }): CrosswalkRepository {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'loom.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // Only our own migration: other modules' migrations are the store's to apply (the runner keys on version, so order gaps are fine).
  applyMigrations(db, loadMigrations().filter((m) => m.name.endsWith('_crosswalks')));
  return new SqlCrosswalkRepository(sqliteExecutor(db));
}

/**
 * Open the crosswalk repository on PostgreSQL (migration 006), shared by every Loom node, so an
 * analyst's publish on one node is what every node's mappings read.
 *
 * @example const crosswalks = await openPostgresCrosswalkRepository({ url: 'postgres://loom@db/loom', schema: 'loom' });
 */
export async function openPostgresCrosswalkRepository(location: PgLocation): Promise<CrosswalkRepository> {
  return new SqlCrosswalkRepository(pgExecutor(await openPgPool(location, 'crosswalk repository')));
}

/** The repository, written once over the SqlExecutor port (SQLite or PostgreSQL). */
class SqlCrosswalkRepository implements CrosswalkRepository {
  /** Published versions never change, so their rows are cached for the mapping hot path. */
  private readonly publishedRows = new Map<string, CrosswalkRow[]>();

  constructor(private readonly db: SqlExecutor) {}

  async list(): Promise<CrosswalkSummary[]> {
    const names = await this.db.all<{ name: string; n: number }>('SELECT name, COUNT(*) AS n FROM crosswalk_versions GROUP BY name ORDER BY name');
    const out: CrosswalkSummary[] = [];
    for (const { name, n } of names) {
      const current = await this.currentRecord(this.db, name, isoDay(new Date()));
      const drafts = (await this.db.all<{ version: string }>(`SELECT version FROM crosswalk_versions WHERE name = ? AND status = 'draft' ORDER BY created_at`, [name])).map((r) => r.version);
      out.push({ name, versions: Number(n), ...(current ? { current: current.version } : {}), drafts });
    }
    return out;
  }

  async versions(name: string): Promise<CrosswalkVersionInfo[]> {
    const records = await this.db.all<VersionRecord>(`${SELECT_VERSION} WHERE v.name = ? ORDER BY v.created_at, v.version`, [name]);
    if (records.length === 0) throw crosswalkUnknown(name);
    return records.map(info);
  }

  get(name: string, version: string): Promise<CrosswalkVersionDetail> {
    return this.detail(this.db, name, version);
  }

  async current(name: string, at: Date | string = new Date()): Promise<CrosswalkVersionDetail | undefined> {
    const record = await this.currentRecord(this.db, name, typeof at === 'string' ? dayOf(at) : isoDay(at));
    return record ? { ...info(record), rows: await this.rowsOf(this.db, record) } : undefined;
  }

  async importCsv(name: string, text: string, options: ImportOptions): Promise<CrosswalkVersionDetail> {
    checkName(name);
    if (options.effectiveDate !== undefined) checkDate(options.effectiveDate, 'effectiveDate');
    const given = { ...(options.version !== undefined ? { version: options.version } : {}), ...(options.effectiveDate !== undefined ? { effectiveDate: options.effectiveDate } : {}) };
    return this.db.transaction(async (tx) => {
      let loaded: ReturnType<typeof loadCrosswalkCsv>;
      try {
        loaded = loadCrosswalkCsv(text, given);
      } catch (error) {
        // No version anywhere: number it. Any other problem (no date, bad header) stands.
        if (!(error instanceof LoomError && error.code === 'crosswalk.meta.missing' && options.version === undefined)) throw error;
        loaded = loadCrosswalkCsv(text, { ...given, version: await this.nextVersion(tx, name) });
      }
      if (loaded.errors.length > 0) throw new CrosswalkCsvInvalid(name, loaded.errors);
      const { version, effectiveDate, rows } = loaded.crosswalk;
      checkVersion(version);
      checkDate(effectiveDate, 'effectiveDate');
      await this.insertVersion(tx, name, version, effectiveDate, options.author, options.note);
      await this.insertRows(tx, name, version, rows);
      await this.audit(tx, name, version, 'import', options.author, { rows: rows.length, effectiveDate, ...(options.note ? { note: options.note } : {}) });
      return this.detail(tx, name, version);
    });
  }

  async createDraft(name: string, options: DraftOptions): Promise<CrosswalkVersionDetail> {
    checkName(name);
    checkDate(options.effectiveDate, 'effectiveDate');
    return this.db.transaction(async (tx) => {
      const version = options.version ?? (await this.nextVersion(tx, name));
      checkVersion(version);
      const base = options.from !== undefined ? await this.detail(tx, name, options.from) : await this.latestPublished(tx, name);
      await this.insertVersion(tx, name, version, options.effectiveDate, options.author, options.note);
      await this.insertRows(tx, name, version, base?.rows ?? []);
      await this.audit(tx, name, version, 'draft', options.author, { from: base?.version ?? null, rows: base?.rows.length ?? 0 });
      return this.detail(tx, name, version);
    });
  }

  editRows(name: string, version: string, edits: readonly RowEdit[], actor: string): Promise<CrosswalkVersionDetail> {
    return this.db.transaction(async (tx) => {
      const record = await this.record(tx, name, version, true);
      if (record.status === 'published') throw versionPublished(name, version);
      const exists = (key: string) => tx.get<{ seq: number }>('SELECT seq FROM crosswalk_rows WHERE name = ? AND version = ? AND row_key = ?', [name, version, key]);
      const upsert = (key: string, seq: number, row: CrosswalkRow) => tx.run(`INSERT INTO crosswalk_rows (name, version, row_key, seq, row_json) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (name, version, row_key) DO UPDATE SET seq = excluded.seq, row_json = excluded.row_json`, [name, version, key, seq, JSON.stringify(row)]);
      const remove = (key: string) => tx.run('DELETE FROM crosswalk_rows WHERE name = ? AND version = ? AND row_key = ?', [name, version, key]);
      const summary: Record<'added' | 'updated' | 'deleted', string[]> = { added: [], updated: [], deleted: [] };
      for (const [i, edit] of edits.entries()) {
        const at = `edits[${i}]`;
        if (edit.op === 'delete') {
          if ((await remove(edit.key)) === 0) throw rowUnknown(name, version, edit.key, `${at}.key`);
          summary.deleted.push(edit.key);
          continue;
        }
        const row = normalizeRow(edit.row, `${at}.row`);
        const key = rowKey(row);
        if (edit.op === 'add') {
          if ((await exists(key)) !== undefined) throw rowExists(name, version, key, `${at}.row`);
          await upsert(key, await this.nextSeq(tx, name, version), row);
          summary.added.push(key);
          continue;
        }
        const old = await exists(edit.key);
        if (old === undefined) throw rowUnknown(name, version, edit.key, `${at}.key`);
        if (key !== edit.key && (await exists(key)) !== undefined) throw rowExists(name, version, key, `${at}.row`);
        await remove(edit.key);
        await upsert(key, old.seq, row);
        summary.updated.push(key === edit.key ? key : `${edit.key} → ${key}`);
      }
      await this.audit(tx, name, version, 'edit', actor, summary);
      return this.detail(tx, name, version);
    });
  }

  publish(name: string, version: string, actor: string): Promise<CrosswalkVersionInfo> {
    return this.db.transaction(async (tx) => {
      const record = await this.record(tx, name, version, true);
      if (record.status === 'published') throw versionPublished(name, version);
      if (Number(record.row_count) === 0) {
        throw new LoomError('crosswalk.draft.empty', `crosswalk "${name}" draft "${version}" has no rows; publishing it would fail every lookup`, {
          location: `${name}@${version}`,
          hint: 'add rows to the draft first',
        });
      }
      await tx.run(`UPDATE crosswalk_versions SET status = 'published', published_at = ?, published_by = ? WHERE name = ? AND version = ?`, [new Date().toISOString(), actor, name, version]);
      await this.audit(tx, name, version, 'publish', actor, { effectiveDate: record.effective_date, rows: Number(record.row_count) });
      return info(await this.record(tx, name, version));
    });
  }

  async diff(name: string, from: string, to: string): Promise<CrosswalkDiff> {
    return diffRows((await this.get(name, from)).rows, (await this.get(name, to)).rows);
  }

  async changes(name: string): Promise<CrosswalkChange[]> {
    const rows = await this.db.all<Omit<CrosswalkChange, 'detail'> & { detail: string }>('SELECT * FROM crosswalk_changes WHERE name = ? ORDER BY id', [name]);
    if (rows.length === 0) throw crosswalkUnknown(name);
    return rows.map((r) => ({ ...r, id: Number(r.id), detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private async detail(q: SqlExecutor, name: string, version: string): Promise<CrosswalkVersionDetail> {
    const record = await this.record(q, name, version);
    return { ...info(record), rows: await this.rowsOf(q, record) };
  }

  /** `forUpdate`: on PostgreSQL lock the version row, so two nodes editing one draft take turns. */
  private async record(q: SqlExecutor, name: string, version: string, forUpdate = false): Promise<VersionRecord> {
    if (forUpdate && q.dialect === 'postgres') await q.get('SELECT 1 FROM crosswalk_versions WHERE name = ? AND version = ? FOR UPDATE', [name, version]);
    const record = await q.get<VersionRecord>(`${SELECT_VERSION} WHERE v.name = ? AND v.version = ?`, [name, version]);
    if (record !== undefined) return record;
    const known = await q.get('SELECT 1 FROM crosswalk_versions WHERE name = ? LIMIT 1', [name]);
    throw known === undefined ? crosswalkUnknown(name) : versionUnknown(name, version);
  }

  private currentRecord(q: SqlExecutor, name: string, day: string): Promise<VersionRecord | undefined> {
    // Latest effective date on or before the day; on a tie the later publication wins (a correction).
    return q.get<VersionRecord>(`${SELECT_VERSION} WHERE v.name = ? AND v.status = 'published' AND v.effective_date <= ? ORDER BY v.effective_date DESC, v.published_at DESC LIMIT 1`, [name, day]);
  }

  private async latestPublished(q: SqlExecutor, name: string): Promise<CrosswalkVersionDetail | undefined> {
    const record = await q.get<VersionRecord>(`${SELECT_VERSION} WHERE v.name = ? AND v.status = 'published' ORDER BY v.published_at DESC LIMIT 1`, [name]);
    return record ? { ...info(record), rows: await this.rowsOf(q, record) } : undefined;
  }

  private async rowsOf(q: SqlExecutor, record: VersionRecord): Promise<CrosswalkRow[]> {
    const cacheKey = `${record.name}\u0000${record.version}`;
    const cached = this.publishedRows.get(cacheKey);
    if (cached) return cached;
    const stored = await q.all<{ row_json: string }>('SELECT row_json FROM crosswalk_rows WHERE name = ? AND version = ? ORDER BY seq', [record.name, record.version]);
    const rows = stored.map((r) => JSON.parse(r.row_json) as CrosswalkRow);
    if (record.status === 'published') this.publishedRows.set(cacheKey, rows);
    return rows;
  }

  private async insertVersion(q: SqlExecutor, name: string, version: string, effectiveDate: string, author: string, note: string | undefined): Promise<void> {
    if ((await q.get('SELECT 1 FROM crosswalk_versions WHERE name = ? AND version = ?', [name, version])) !== undefined) throw versionExists(name, version);
    // a racing node inserting the same version meanwhile fails on the primary key: the same error
    const inserted = await q.run(`INSERT INTO crosswalk_versions (name, version, status, effective_date, author, note, created_at) VALUES (?, ?, 'draft', ?, ?, ?, ?)
      ON CONFLICT (name, version) DO NOTHING`, [name, version, effectiveDate, author, note ?? null, new Date().toISOString()]);
    if (inserted === 0) throw versionExists(name, version);
  }

  private async insertRows(q: SqlExecutor, name: string, version: string, rows: readonly CrosswalkRow[]): Promise<void> {
    for (const [i, row] of rows.entries()) {
      await q.run('INSERT INTO crosswalk_rows (name, version, row_key, seq, row_json) VALUES (?, ?, ?, ?, ?)', [name, version, rowKey(row), i + 1, JSON.stringify(row)]);
    }
  }

  private async nextSeq(q: SqlExecutor, name: string, version: string): Promise<number> {
    const r = await q.get<{ seq: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM crosswalk_rows WHERE name = ? AND version = ?', [name, version]);
    return Number(r?.seq ?? 1);
  }

  private async nextVersion(q: SqlExecutor, name: string): Promise<string> {
    const versions = (await q.all<{ version: string }>('SELECT version FROM crosswalk_versions WHERE name = ?', [name])).map((r) => r.version);
    const numbers = versions.filter((v) => /^\d+$/.test(v)).map(Number);
    let next = Math.max(0, ...numbers) + 1;
    while (versions.includes(String(next))) next += 1;
    return String(next);
  }

  private async audit(q: SqlExecutor, name: string, version: string, action: CrosswalkChange['action'], actor: string, detail: Record<string, unknown>): Promise<void> {
    await q.run('INSERT INTO crosswalk_changes (name, version, action, actor, at, detail) VALUES (?, ?, ?, ?, ?, ?)', [name, version, action, actor, new Date().toISOString(), JSON.stringify(detail)]);
  }
}

function info(r: VersionRecord): CrosswalkVersionInfo {
  return {
    name: r.name,
    version: r.version,
    status: r.status,
    effectiveDate: r.effective_date,
    author: r.author,
    ...(r.note !== null ? { note: r.note } : {}),
    createdAt: r.created_at,
    ...(r.published_at !== null ? { publishedAt: r.published_at } : {}),
    ...(r.published_by !== null ? { publishedBy: r.published_by } : {}),
    rowCount: Number(r.row_count),
  };
}

/** A Date's calendar day in UTC. */
function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A string's own calendar day (`2025-03-01T23:30:00-05:00` is 2025-03-01, as written at the source). */
function dayOf(s: string): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(s)?.[0];
  if (day === undefined) throw invalidDate(s, 'at');
  return day;
}

function checkDate(value: string, location: string): void {
  const d = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime()) || isoDay(d) !== value) throw invalidDate(value, location);
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new LoomError('crosswalk.name.invalid', `"${name}" is not a crosswalk name`, { location: name, hint: 'use letters, digits, ".", "_" and "-" (e.g. charge-codes), at most 64' });
}

function checkVersion(version: string): void {
  if (!VERSION.test(version)) throw new LoomError('crosswalk.version.invalid', `"${version}" is not a version label`, { location: version, hint: 'use letters, digits, ".", "_" and "-" (e.g. 2025.1), at most 40' });
}

function rowUnknown(name: string, version: string, key: string, location: string): LoomError {
  return new LoomError('crosswalk.row.unknown', `draft "${version}" of "${name}" has no row ${key}`, { location, hint: 'keys look like charge:278001 or code:LOCAL|P1|CPT; GET the version to see them' });
}

function rowExists(name: string, version: string, key: string, location: string): LoomError {
  return new LoomError('crosswalk.row.exists', `draft "${version}" of "${name}" already has a row ${key}`, { location, hint: 'use op "update" with that key to change it' });
}
