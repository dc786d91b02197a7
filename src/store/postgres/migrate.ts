import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { LoomError } from '../../kernel/index.js';

/** A numbered SQL migration: `001_init.sql` → { version: 1, name: '001_init' }. */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Beside this file in src, or back in src when running from dist (tsc does not copy .sql). */
function migrationsDir(): string {
  const candidates = [path.join(here, 'migrations'), path.resolve(here, '../../../../src/store/postgres/migrations')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`PostgreSQL migrations not found in ${candidates.join(' or ')}`);
  return found;
}

/**
 * The numbered PostgreSQL migrations shipped with Loom, in order.
 *
 * @example loadPgMigrations().map((m) => m.name) // ['001_init']
 */
export function loadPgMigrations(dir: string = migrationsDir()): PgMigration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.replace(/\.sql$/, ''), sql: readFileSync(path.join(dir, f), 'utf8') }));
}

/**
 * Apply the migrations not yet in `<schema>.schema_migrations`, each in its own transaction, under
 * an advisory lock so two nodes starting together do not race. Re-applying is a no-op.
 *
 * @example await applyPgMigrations(client, 'loom') // ['001_init'] on an empty schema, [] afterwards
 */
export async function applyPgMigrations(client: pg.PoolClient, schema: string, migrations: PgMigration[] = loadPgMigrations()): Promise<string[]> {
  const q = quoteIdent(schema);
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [`loom.migrate.${schema}`]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${q}.schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${q}.schema_migrations`)).rows.map((r) => r.version));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        // the migration SQL is schema-free: search_path points it at ours
        await client.query(`SET LOCAL search_path TO ${q}`);
        await client.query(m.sql);
        await client.query(`INSERT INTO ${q}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [m.version, m.name, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`loom.migrate.${schema}`]).catch(() => undefined);
  }
}

/** Double-quote an identifier checked against a conservative pattern (schema names come from config). */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new LoomError('store.schema.invalid', `The PostgreSQL schema name ${JSON.stringify(name)} is not a plain identifier`, {
      location: 'store.schema', hint: 'use letters, digits and underscores, starting with a letter (at most 63 characters), e.g. loom',
    });
  }
  return `"${name}"`;
}
