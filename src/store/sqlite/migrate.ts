import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

/** A numbered SQL migration: `001_init.sql` → { version: 1, name: '001_init' }. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Find the migrations folder: beside this file in src, or back in src when running from dist (tsc does not copy .sql). */
function migrationsDir(): string {
  const candidates = [path.join(here, 'migrations'), path.resolve(here, '../../../../src/store/sqlite/migrations')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`SQLite migrations not found in ${candidates.join(' or ')}`);
  return found;
}

/** The numbered migrations shipped with Loom, in order. */
export function loadMigrations(dir: string = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.replace(/\.sql$/, ''), sql: readFileSync(path.join(dir, f), 'utf8') }));
}

/**
 * Apply the migrations not yet in `schema_migrations`, each in its own transaction.
 * Re-applying is a no-op. Returns the names applied.
 *
 * @example applyMigrations(db) // ['001_init'] on an empty store, [] afterwards
 */
export function applyMigrations(db: Database.Database, migrations: Migration[] = loadMigrations()): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const applied: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.name);
  }
  return applied;
}
