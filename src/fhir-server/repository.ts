// FhirRepository: Loom's own FHIR R4 resources in loom.db (tables from 003_fhir_resources.sql).
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { LoomError } from '../kernel/errors.js';
import { applyMigrations } from '../store/sqlite/migrate.js';
import { includedReferences, splitIncludes, type IncludeSpec } from './includes.js';
import { assertReferencesResolve } from './references.js';
import { compileSearch, extractTokens } from './search.js';

/** What one upsert did: `changed` false when the content was already stored (same version). */
export interface UpsertResult {
  resource: Resource;
  created: boolean;
  changed: boolean;
}

export type UpsertListener = (result: UpsertResult) => void;

export interface SearchOptions {
  /** Absolute base for fullUrl and paging links, e.g. `http://127.0.0.1:8080/fhir/R4`. */
  baseUrl?: string;
}

interface Row { version_id: number; content_hash: string; resource: string }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON with sorted keys, so the content hash does not depend on key order. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isRecord(v)) return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Hash of the resource without the server-owned meta.versionId / meta.lastUpdated. */
export function contentHash(resource: Resource): string {
  const { meta, ...rest } = resource as Resource & { meta?: Record<string, unknown> };
  const keep: Record<string, unknown> = { ...rest };
  if (meta) {
    const { versionId: _v, lastUpdated: _l, ...m } = meta;
    if (Object.keys(m).length > 0) keep.meta = m;
  }
  return createHash('sha256').update(canonicalJson(keep)).digest('hex');
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** Loom's FHIR store on SQLite. Synchronous (better-sqlite3); one instance per loom.db per process. */
export class FhirRepository {
  private readonly listeners = new Set<UpsertListener>();
  private refs = 1;

  constructor(readonly db: Database.Database, private readonly onClose: () => void = () => undefined) {}

  /** Called after every committed upsert (also unchanged ones, with changed: false). */
  onUpsert(listener: UpsertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Insert or update `resourceType/id`; same content keeps the stored version.
   * @example repo.upsert({ resourceType: 'Device', id: 'd1', status: 'active' }).resource.meta?.versionId // '1'
   */
  upsert(resource: Resource, now: Date = new Date()): UpsertResult {
    const [result] = this.upsertMany([resource], now);
    return result!;
  }

  /**
   * Upsert several resources in one transaction (a collection or transaction Bundle). Ids in
   * `createOnly` (`Type/id`) are written only when absent. Every reference a written resource
   * carries must resolve (to a stored resource or one of the batch), else nothing is written and
   * `fhir.reference.unresolved` names the element.
   */
  upsertMany(resources: Resource[], now: Date = new Date(), options: { createOnly?: ReadonlySet<string> } = {}): UpsertResult[] {
    const exists = (type: string, id: string): boolean => this.db.prepare('SELECT 1 FROM fhir_resources WHERE resource_type = ? AND id = ?').get(type, id) !== undefined;
    const results = this.db.transaction(() => {
      const written = resources.map((r) => (options.createOnly?.has(`${r.resourceType}/${r.id ?? ''}`) && exists(r.resourceType, r.id ?? '') ? this.unchanged(r) : this.write(r, now)));
      for (const w of written) if (w.changed) assertReferencesResolve(w.resource, exists);
      return written;
    })();
    for (const r of results) for (const l of this.listeners) l(r);
    return results;
  }

  private unchanged(resource: Resource): UpsertResult {
    return { resource: this.read(resource.resourceType, resource.id ?? '') ?? resource, created: false, changed: false };
  }

  private write(resource: Resource, now: Date): UpsertResult {
    const type = resource.resourceType;
    const id = resource.id;
    if (typeof type !== 'string' || !TYPE.test(type)) throw new LoomError('fhir.resource.type-invalid', `resourceType "${String(type)}" is not a FHIR type name`, { location: 'resourceType' });
    if (typeof id !== 'string' || !ID.test(id)) throw new LoomError('fhir.resource.id-invalid', `${type}.id "${String(id)}" is missing or not a FHIR id`, { location: `${type}.id`, hint: 'ids are 1-64 of A-Z a-z 0-9 - .' });
    const hash = contentHash(resource);
    const old = this.db.prepare('SELECT version_id, content_hash, resource FROM fhir_resources WHERE resource_type = ? AND id = ?').get(type, id) as Row | undefined;
    if (old && old.content_hash === hash) return { resource: JSON.parse(old.resource) as Resource, created: false, changed: false };
    const version = (old?.version_id ?? 0) + 1;
    const lastUpdated = now.toISOString();
    const stored = { ...resource, meta: { ...(resource.meta ?? {}), versionId: String(version), lastUpdated } } as Resource;
    this.db.prepare(`INSERT INTO fhir_resources (resource_type, id, version_id, last_updated, last_updated_ms, content_hash, resource)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (resource_type, id) DO UPDATE SET version_id = excluded.version_id,
      last_updated = excluded.last_updated, last_updated_ms = excluded.last_updated_ms, content_hash = excluded.content_hash, resource = excluded.resource`)
      .run(type, id, version, lastUpdated, now.getTime(), hash, JSON.stringify(stored));
    this.db.prepare('INSERT OR REPLACE INTO fhir_resource_history (resource_type, id, version_id, last_updated, resource) VALUES (?, ?, ?, ?, ?)')
      .run(type, id, version, lastUpdated, JSON.stringify(stored));
    this.db.prepare('DELETE FROM fhir_search_index WHERE resource_type = ? AND id = ?').run(type, id);
    const ins = this.db.prepare('INSERT OR IGNORE INTO fhir_search_index (resource_type, id, param, system, value) VALUES (?, ?, ?, ?, ?)');
    for (const t of extractTokens(stored as unknown as Record<string, unknown>)) ins.run(type, id, t.param, t.system, t.value);
    return { resource: stored, created: old === undefined, changed: true };
  }

  /** The current version of `type/id`, or undefined. */
  read(type: string, id: string): Resource | undefined {
    const row = this.db.prepare('SELECT resource FROM fhir_resources WHERE resource_type = ? AND id = ?').get(type, id) as { resource: string } | undefined;
    return row ? (JSON.parse(row.resource) as Resource) : undefined;
  }

  /** Every stored version of `type/id`, newest first (empty when it was never stored). */
  history(type: string, id: string): Resource[] {
    const rows = this.db.prepare('SELECT resource FROM fhir_resource_history WHERE resource_type = ? AND id = ? ORDER BY version_id DESC').all(type, id) as { resource: string }[];
    return rows.map((r) => JSON.parse(r.resource) as Resource);
  }

  /** One version of `type/id` (vread), or undefined. */
  readVersion(type: string, id: string, versionId: string): Resource | undefined {
    const row = this.db.prepare('SELECT resource FROM fhir_resource_history WHERE resource_type = ? AND id = ? AND version_id = ?').get(type, id, Number(versionId)) as { resource: string } | undefined;
    return row ? (JSON.parse(row.resource) as Resource) : undefined;
  }

  /** Resource types that have at least one stored resource. */
  types(): string[] {
    return (this.db.prepare('SELECT DISTINCT resource_type AS t FROM fhir_resources ORDER BY 1').all() as { t: string }[]).map((r) => r.t);
  }

  /**
   * Search one type; returns a `searchset` Bundle with `total` and a `next` link when more remain.
   * @example repo.search('Procedure', new URLSearchParams('patient=123&_count=10'), { baseUrl })
   */
  search(type: string, params: URLSearchParams, options: SearchOptions = {}): Bundle {
    const { rest, includes, revIncludes } = splitIncludes(params);
    const q = compileSearch(type, rest);
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM fhir_resources r WHERE ${q.where}`).get(...q.args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT r.resource FROM fhir_resources r WHERE ${q.where} ORDER BY r.last_updated_ms, r.id LIMIT ? OFFSET ?`)
      .all(...q.args, q.count, q.offset) as { resource: string }[];
    const base = options.baseUrl ?? '';
    const link = (offset: number): string => {
      const p = new URLSearchParams(params);
      p.set('_count', String(q.count));
      p.set('_offset', String(offset));
      return `${base}/${type}?${p.toString()}`;
    };
    const links: NonNullable<Bundle['link']> = [{ relation: 'self', url: link(q.offset) }];
    if (q.count > 0 && q.offset + q.count < total) links.push({ relation: 'next', url: link(q.offset + q.count) });
    if (q.offset > 0) links.push({ relation: 'previous', url: link(Math.max(0, q.offset - q.count)) });
    const matches = rows.map((r) => JSON.parse(r.resource) as Resource);
    const entry = (resource: Resource, mode: 'match' | 'include') => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`, resource, search: { mode } });
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total,
      link: links,
      entry: [...matches.map((r) => entry(r, 'match')), ...this.included(matches, includes, revIncludes).map((r) => entry(r, 'include'))],
    };
  }

  /** Resources `_include`d by the matches and `_revinclude`d pointing at them, each once and not a match itself. */
  private included(matches: Resource[], includes: IncludeSpec[], revIncludes: IncludeSpec[]): Resource[] {
    const seen = new Set(matches.map((m) => `${m.resourceType}/${m.id ?? ''}`));
    const out: Resource[] = [];
    const add = (r: Resource | undefined): void => {
      const key = r ? `${r.resourceType}/${r.id ?? ''}` : '';
      if (r && !seen.has(key)) { seen.add(key); out.push(r); }
    };
    for (const spec of includes) {
      for (const m of matches) {
        for (const ref of includedReferences(m as unknown as Record<string, unknown>, spec)) {
          const [t = '', id = ''] = ref.split('/');
          add(this.read(t, id));
        }
      }
    }
    for (const spec of revIncludes) {
      const targets = matches.map((m) => `${m.resourceType}/${m.id ?? ''}`);
      if (targets.length === 0) continue;
      const rows = this.db.prepare(`SELECT r.resource FROM fhir_resources r JOIN fhir_search_index s ON s.resource_type = r.resource_type AND s.id = r.id
        WHERE r.resource_type = ? AND s.param = ? AND s.value IN (${targets.map(() => '?').join(',')}) ORDER BY r.last_updated_ms, r.id`)
        .all(spec.source, spec.param, ...targets) as { resource: string }[];
      for (const r of rows) add(JSON.parse(r.resource) as Resource);
    }
    return out;
  }

  /** Share this instance once more (see openFhirRepository). */
  retain(): this {
    this.refs += 1;
    return this;
  }

  /** Release one reference; the connection closes when the last holder closes. */
  close(): void {
    this.refs -= 1;
    if (this.refs > 0) return;
    this.listeners.clear();
    this.onClose();
    this.db.close();
  }
}

const open = new Map<string, FhirRepository>();

export interface OpenFhirRepositoryOptions {
  /** Folder of `loom.db` (default `.loom`). */
  dataDir?: string;
}

/**
 * Open (or share) the FHIR repository on `<dataDir>/loom.db`: one WAL connection per file per
 * process, so the `fhir-store` connector, the `/fhir/R4` routes and Subscription notifications
 * see the same upserts. Each caller closes its own reference.
 * @example const repo = openFhirRepository({ dataDir: './.loom' }); repo.read('Device', 'd1');
 */
export function openFhirRepository(options: OpenFhirRepositoryOptions = {}): FhirRepository {
  const dir = path.resolve(options.dataDir ?? '.loom');
  const file = path.join(dir, 'loom.db');
  const shared = open.get(file);
  if (shared) return shared.retain();
  let db: Database.Database;
  try {
    mkdirSync(dir, { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    // IMMEDIATE: another connection (the message store) may be migrating the same file right now
    db.transaction(() => applyMigrations(db)).immediate();
  } catch (cause) {
    throw new LoomError('store.unwritable', `cannot open the FHIR store in ${dir}: ${String(cause)}`, { cause, hint: 'check that the data folder exists and is writable' });
  }
  const repo = new FhirRepository(db, () => open.delete(file));
  open.set(file, repo);
  return repo;
}
