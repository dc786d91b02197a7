import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LoomError } from '../kernel/errors.js';
import { loadCrosswalkCsv, type CrosswalkRow } from '../mappings/crosswalk.js';
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

const SELECT_VERSION = `SELECT v.*, (SELECT COUNT(*) FROM crosswalk_rows r WHERE r.name = v.name AND r.version = v.version) AS row_count FROM crosswalk_versions v`;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * Open the crosswalk repository on `<dataDir>/loom.db` with its own connection (WAL), applying the
 * crosswalk migration when missing.
 *
 * @example
 * const crosswalks = openCrosswalkRepository({ dataDir: './.loom' });
 * crosswalks.importCsv('charge-codes', csv, { author: 'ana', effectiveDate: '2025-01-01' });
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
  return new SqliteCrosswalkRepository(db);
}

class SqliteCrosswalkRepository implements CrosswalkRepository {
  /** Published versions never change, so their rows are cached for the mapping hot path. */
  private readonly publishedRows = new Map<string, CrosswalkRow[]>();

  constructor(private readonly db: Database.Database) {}

  list(): CrosswalkSummary[] {
    const names = this.db.prepare('SELECT name, COUNT(*) AS n FROM crosswalk_versions GROUP BY name ORDER BY name').all() as Array<{ name: string; n: number }>;
    return names.map(({ name, n }) => {
      const current = this.currentRecord(name, isoDay(new Date()));
      const drafts = (this.db.prepare(`SELECT version FROM crosswalk_versions WHERE name = ? AND status = 'draft' ORDER BY created_at`).all(name) as Array<{ version: string }>).map((r) => r.version);
      return { name, versions: n, ...(current ? { current: current.version } : {}), drafts };
    });
  }

  versions(name: string): CrosswalkVersionInfo[] {
    const records = this.db.prepare(`${SELECT_VERSION} WHERE v.name = ? ORDER BY v.created_at, v.version`).all(name) as VersionRecord[];
    if (records.length === 0) throw crosswalkUnknown(name);
    return records.map(info);
  }

  get(name: string, version: string): CrosswalkVersionDetail {
    const record = this.record(name, version);
    return { ...info(record), rows: this.rowsOf(record) };
  }

  current(name: string, at: Date | string = new Date()): CrosswalkVersionDetail | undefined {
    const record = this.currentRecord(name, typeof at === 'string' ? dayOf(at) : isoDay(at));
    return record ? { ...info(record), rows: this.rowsOf(record) } : undefined;
  }

  importCsv(name: string, text: string, options: ImportOptions): CrosswalkVersionDetail {
    checkName(name);
    if (options.effectiveDate !== undefined) checkDate(options.effectiveDate, 'effectiveDate');
    const given = { ...(options.version !== undefined ? { version: options.version } : {}), ...(options.effectiveDate !== undefined ? { effectiveDate: options.effectiveDate } : {}) };
    let loaded: ReturnType<typeof loadCrosswalkCsv>;
    try {
      loaded = loadCrosswalkCsv(text, given);
    } catch (error) {
      // No version anywhere: number it. Any other problem (no date, bad header) stands.
      if (!(error instanceof LoomError && error.code === 'crosswalk.meta.missing' && options.version === undefined)) throw error;
      loaded = loadCrosswalkCsv(text, { ...given, version: this.nextVersion(name) });
    }
    if (loaded.errors.length > 0) throw new CrosswalkCsvInvalid(name, loaded.errors);
    const { version, effectiveDate, rows } = loaded.crosswalk;
    checkVersion(version);
    checkDate(effectiveDate, 'effectiveDate');
    this.db.transaction(() => {
      this.insertVersion(name, version, effectiveDate, options.author, options.note);
      this.insertRows(name, version, rows);
      this.audit(name, version, 'import', options.author, { rows: rows.length, effectiveDate, ...(options.note ? { note: options.note } : {}) });
    })();
    return this.get(name, version);
  }

  createDraft(name: string, options: DraftOptions): CrosswalkVersionDetail {
    checkName(name);
    checkDate(options.effectiveDate, 'effectiveDate');
    const version = options.version ?? this.nextVersion(name);
    checkVersion(version);
    const base = options.from !== undefined ? this.get(name, options.from) : this.latestPublished(name);
    this.db.transaction(() => {
      this.insertVersion(name, version, options.effectiveDate, options.author, options.note);
      this.insertRows(name, version, base?.rows ?? []);
      this.audit(name, version, 'draft', options.author, { from: base?.version ?? null, rows: base?.rows.length ?? 0 });
    })();
    return this.get(name, version);
  }

  editRows(name: string, version: string, edits: readonly RowEdit[], actor: string): CrosswalkVersionDetail {
    this.db.transaction(() => {
      const record = this.record(name, version);
      if (record.status === 'published') throw versionPublished(name, version);
      const exists = this.db.prepare('SELECT seq FROM crosswalk_rows WHERE name = ? AND version = ? AND row_key = ?');
      const upsert = this.db.prepare('INSERT OR REPLACE INTO crosswalk_rows (name, version, row_key, seq, row_json) VALUES (?, ?, ?, ?, ?)');
      const remove = this.db.prepare('DELETE FROM crosswalk_rows WHERE name = ? AND version = ? AND row_key = ?');
      const summary: Record<'added' | 'updated' | 'deleted', string[]> = { added: [], updated: [], deleted: [] };
      edits.forEach((edit, i) => {
        const at = `edits[${i}]`;
        if (edit.op === 'delete') {
          if (remove.run(name, version, edit.key).changes === 0) throw rowUnknown(name, version, edit.key, `${at}.key`);
          summary.deleted.push(edit.key);
          return;
        }
        const row = normalizeRow(edit.row, `${at}.row`);
        const key = rowKey(row);
        if (edit.op === 'add') {
          if (exists.get(name, version, key) !== undefined) throw rowExists(name, version, key, `${at}.row`);
          upsert.run(name, version, key, this.nextSeq(name, version), JSON.stringify(row));
          summary.added.push(key);
          return;
        }
        const old = exists.get(name, version, edit.key) as { seq: number } | undefined;
        if (old === undefined) throw rowUnknown(name, version, edit.key, `${at}.key`);
        if (key !== edit.key && exists.get(name, version, key) !== undefined) throw rowExists(name, version, key, `${at}.row`);
        remove.run(name, version, edit.key);
        upsert.run(name, version, key, old.seq, JSON.stringify(row));
        summary.updated.push(key === edit.key ? key : `${edit.key} → ${key}`);
      });
      this.audit(name, version, 'edit', actor, summary);
    })();
    return this.get(name, version);
  }

  publish(name: string, version: string, actor: string): CrosswalkVersionInfo {
    this.db.transaction(() => {
      const record = this.record(name, version);
      if (record.status === 'published') throw versionPublished(name, version);
      if (record.row_count === 0) {
        throw new LoomError('crosswalk.draft.empty', `crosswalk "${name}" draft "${version}" has no rows; publishing it would fail every lookup`, {
          location: `${name}@${version}`,
          hint: 'add rows to the draft first',
        });
      }
      this.db.prepare(`UPDATE crosswalk_versions SET status = 'published', published_at = ?, published_by = ? WHERE name = ? AND version = ?`).run(new Date().toISOString(), actor, name, version);
      this.audit(name, version, 'publish', actor, { effectiveDate: record.effective_date, rows: record.row_count });
    })();
    return info(this.record(name, version));
  }

  diff(name: string, from: string, to: string): CrosswalkDiff {
    return diffRows(this.get(name, from).rows, this.get(name, to).rows);
  }

  changes(name: string): CrosswalkChange[] {
    const rows = this.db.prepare('SELECT * FROM crosswalk_changes WHERE name = ? ORDER BY id').all(name) as Array<Omit<CrosswalkChange, 'detail'> & { detail: string }>;
    if (rows.length === 0) throw crosswalkUnknown(name);
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  close(): void {
    this.db.close();
  }

  private record(name: string, version: string): VersionRecord {
    const record = this.db.prepare(`${SELECT_VERSION} WHERE v.name = ? AND v.version = ?`).get(name, version) as VersionRecord | undefined;
    if (record !== undefined) return record;
    const known = this.db.prepare('SELECT 1 FROM crosswalk_versions WHERE name = ? LIMIT 1').get(name);
    throw known === undefined ? crosswalkUnknown(name) : versionUnknown(name, version);
  }

  private currentRecord(name: string, day: string): VersionRecord | undefined {
    // Latest effective date on or before the day; on a tie the later publication wins (a correction).
    return this.db
      .prepare(`${SELECT_VERSION} WHERE v.name = ? AND v.status = 'published' AND v.effective_date <= ? ORDER BY v.effective_date DESC, v.published_at DESC LIMIT 1`)
      .get(name, day) as VersionRecord | undefined;
  }

  private latestPublished(name: string): CrosswalkVersionDetail | undefined {
    const record = this.db.prepare(`${SELECT_VERSION} WHERE v.name = ? AND v.status = 'published' ORDER BY v.published_at DESC LIMIT 1`).get(name) as VersionRecord | undefined;
    return record ? { ...info(record), rows: this.rowsOf(record) } : undefined;
  }

  private rowsOf(record: VersionRecord): CrosswalkRow[] {
    const cacheKey = `${record.name}\u0000${record.version}`;
    const cached = this.publishedRows.get(cacheKey);
    if (cached) return cached;
    const stored = this.db.prepare('SELECT row_json FROM crosswalk_rows WHERE name = ? AND version = ? ORDER BY seq').all(record.name, record.version) as Array<{ row_json: string }>;
    const rows = stored.map((r) => JSON.parse(r.row_json) as CrosswalkRow);
    if (record.status === 'published') this.publishedRows.set(cacheKey, rows);
    return rows;
  }

  private insertVersion(name: string, version: string, effectiveDate: string, author: string, note: string | undefined): void {
    if (this.db.prepare('SELECT 1 FROM crosswalk_versions WHERE name = ? AND version = ?').get(name, version) !== undefined) throw versionExists(name, version);
    this.db
      .prepare(`INSERT INTO crosswalk_versions (name, version, status, effective_date, author, note, created_at) VALUES (?, ?, 'draft', ?, ?, ?, ?)`)
      .run(name, version, effectiveDate, author, note ?? null, new Date().toISOString());
  }

  private insertRows(name: string, version: string, rows: readonly CrosswalkRow[]): void {
    const insert = this.db.prepare('INSERT INTO crosswalk_rows (name, version, row_key, seq, row_json) VALUES (?, ?, ?, ?, ?)');
    rows.forEach((row, i) => insert.run(name, version, rowKey(row), i + 1, JSON.stringify(row)));
  }

  private nextSeq(name: string, version: string): number {
    const { seq } = this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM crosswalk_rows WHERE name = ? AND version = ?').get(name, version) as { seq: number };
    return seq;
  }

  private nextVersion(name: string): string {
    const versions = (this.db.prepare('SELECT version FROM crosswalk_versions WHERE name = ?').all(name) as Array<{ version: string }>).map((r) => r.version);
    const numbers = versions.filter((v) => /^\d+$/.test(v)).map(Number);
    let next = Math.max(0, ...numbers) + 1;
    while (versions.includes(String(next))) next += 1;
    return String(next);
  }

  private audit(name: string, version: string, action: CrosswalkChange['action'], actor: string, detail: Record<string, unknown>): void {
    this.db.prepare('INSERT INTO crosswalk_changes (name, version, action, actor, at, detail) VALUES (?, ?, ?, ?, ?, ?)').run(name, version, action, actor, new Date().toISOString(), JSON.stringify(detail));
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
    rowCount: r.row_count,
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
