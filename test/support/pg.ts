/**
 * PostgreSQL for contract tests: the server URL (LOOM_TEST_PG_URL overrides), whether the tests run
 * (always under CI=true, where an absent server then fails them loudly), and a fresh schema per test.
 */
import pg from 'pg';
import { newId } from '../../src/kernel/index.js';

export const PG_URL = process.env.LOOM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CI = process.env.CI === 'true';

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    await c.end().catch(() => undefined);
    return false;
  }
}

/** True when the PostgreSQL half of a contract suite runs; prints a notice when it is skipped. */
export async function pgAvailable(suite: string): Promise<boolean> {
  const up = CI || (await reachable());
  if (!up) console.warn(`[${suite}] PostgreSQL unreachable at ${PG_URL}: skipping the postgres half (set CI=true to make this a failure)`);
  return up;
}

/** A new schema name for one test; `dropSchema` removes it and everything in it. */
export const freshSchema = (): string => `loom_test_${newId().toLowerCase()}`;

export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}
