import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { LoomConfig } from '../../config/schema.js';
import { storeError } from '../../store/sqlite/errors.js';
import { applyMigrations, loadMigrations } from '../../store/sqlite/migrate.js';
import { applyPgMigrations, loadPgMigrations, quoteIdent } from '../../store/postgres/migrate.js';
import { pgStoreError } from '../../store/postgres/errors.js';
import type { Contract, ContractStore, ContractVersion } from './types.js';

const MIGRATION = '_contracts';

interface ContractRow { name: string; kind: Contract['kind']; owner: string; description: string | null; created_at: string; latest: number | string | null }
interface VersionRow {
  name: string; version: number | string; kind: Contract['kind']; schema: string; status: ContractVersion['status']; classification: string | null;
  created_by: string; created_at: string; approved_by: string | null; approved_at: string | null; note: string | null;
}

const CONTRACT_SELECT = 'SELECT c.*, (SELECT MAX(version) FROM contract_versions v WHERE v.name = c.name) AS latest FROM contracts c';

function toContract(r: ContractRow): Contract {
  return { name: r.name, kind: r.kind, owner: r.owner, ...(r.description !== null ? { description: r.description } : {}), createdAt: r.created_at, latest: Number(r.latest ?? 0) };
}

function toVersion(r: VersionRow): ContractVersion {
  return {
    name: r.name, version: Number(r.version), kind: r.kind, schema: JSON.parse(r.schema) as Record<string, unknown>, status: r.status,
    ...(r.classification !== null ? { classification: JSON.parse(r.classification) as NonNullable<ContractVersion['classification']> } : {}),
    createdBy: r.created_by, createdAt: r.created_at,
    ...(r.approved_by !== null ? { approvedBy: r.approved_by } : {}), ...(r.approved_at !== null ? { approvedAt: r.approved_at } : {}), ...(r.note !== null ? { note: r.note } : {}),
  };
}

const versionValues = (version: number, v: Omit<ContractVersion, 'version'>) => [
  v.name, version, v.kind, JSON.stringify(v.schema), v.status, v.classification ? JSON.stringify(v.classification) : null, v.createdBy, v.createdAt, v.note ?? null,
];
const INSERT_VERSION = '(name, version, kind, schema, status, classification, created_by, created_at, note)';

/** The contract registry in the embedded store's `loom.db` (own connection). */
export function openSqliteContractStore(options: { dataDir: string }): ContractStore {
  const file = path.join(path.resolve(options.dataDir), 'loom.db');
  let db: Database.Database;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    applyMigrations(db, loadMigrations().filter((m) => m.name.endsWith(MIGRATION)));
  } catch (error) {
    throw storeError(error, file);
  }
  const guard = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(storeError(error, file));
    }
  };
  const version = (name: string, v: number) => {
    const r = db.prepare('SELECT * FROM contract_versions WHERE name = ? AND version = ?').get(name, v) as VersionRow | undefined;
    return r ? toVersion(r) : undefined;
  };
  return {
    getContract: (name) => guard(() => {
      const r = db.prepare(`${CONTRACT_SELECT} WHERE c.name = ?`).get(name) as ContractRow | undefined;
      return r ? toContract(r) : undefined;
    }),
    listContracts: () => guard(() => (db.prepare(`${CONTRACT_SELECT} ORDER BY c.name`).all() as ContractRow[]).map(toContract)),
    addVersion: (contract, build) => guard(() => db.transaction(() => {
      db.prepare('INSERT OR IGNORE INTO contracts (name, kind, owner, description, created_at) VALUES (?,?,?,?,?)').run(contract.name, contract.kind, contract.owner, contract.description ?? null, new Date().toISOString());
      const { latest } = db.prepare('SELECT COALESCE(MAX(version), 0) AS latest FROM contract_versions WHERE name = ?').get(contract.name) as { latest: number };
      const next = build(latest > 0 ? version(contract.name, latest) : undefined);
      db.prepare(`INSERT INTO contract_versions ${INSERT_VERSION} VALUES (?,?,?,?,?,?,?,?,?)`).run(...versionValues(latest + 1, next));
      return version(contract.name, latest + 1) as ContractVersion;
    }).immediate()),
    getVersion: (name, v) => guard(() => version(name, v)),
    listVersions: (name) => guard(() => (db.prepare('SELECT * FROM contract_versions WHERE name = ? ORDER BY version').all(name) as VersionRow[]).map(toVersion)),
    approve: (name, v, actor, at) => guard(() => {
      db.prepare("UPDATE contract_versions SET status = 'active', approved_by = ?, approved_at = ? WHERE name = ? AND version = ?").run(actor, at, name, v);
      return version(name, v);
    }),
    close: () => guard(() => {
      db.close();
    }),
  };
}

/** The contract registry in the PostgreSQL store's schema; versions numbered under a per-contract advisory lock. */
export async function openPostgresContractStore(options: { url: string; schema?: string }): Promise<ContractStore> {
  const schema = options.schema ?? 'loom';
  const pool = new pg.Pool({ connectionString: options.url, max: 2, connectionTimeoutMillis: 5000, options: `-c search_path=${quoteIdent(schema)}` });
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await applyPgMigrations(client, schema, loadPgMigrations().filter((m) => m.name.endsWith(MIGRATION)));
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw pgStoreError(error, options.url, 'contracts migrate');
  }
  const rows = async <T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> => {
    try {
      return (await pool.query<T>(sql, params)).rows;
    } catch (error) {
      throw pgStoreError(error, options.url, 'contracts');
    }
  };
  const version = async (name: string, v: number) => {
    const r = (await rows<VersionRow>('SELECT * FROM contract_versions WHERE name = $1 AND version = $2', [name, v]))[0];
    return r ? toVersion(r) : undefined;
  };
  return {
    getContract: async (name) => {
      const r = (await rows<ContractRow>(`${CONTRACT_SELECT} WHERE c.name = $1`, [name]))[0];
      return r ? toContract(r) : undefined;
    },
    listContracts: async () => (await rows<ContractRow>(`${CONTRACT_SELECT} ORDER BY c.name`, [])).map(toContract),
    async addVersion(contract, build) {
      const client = await pool.connect().catch((error: unknown) => Promise.reject(pgStoreError(error, options.url, 'contract register')));
      let added = 0;
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`loom.contract.${schema}.${contract.name}`]);
        await client.query('INSERT INTO contracts (name, kind, owner, description, created_at) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (name) DO NOTHING', [contract.name, contract.kind, contract.owner, contract.description ?? null, new Date().toISOString()]);
        const latest = Number((await client.query<{ latest: string }>('SELECT COALESCE(MAX(version), 0) AS latest FROM contract_versions WHERE name = $1', [contract.name])).rows[0]?.latest ?? 0);
        const previousRow = latest > 0 ? (await client.query<VersionRow>('SELECT * FROM contract_versions WHERE name = $1 AND version = $2', [contract.name, latest])).rows[0] : undefined;
        const next = build(previousRow ? toVersion(previousRow) : undefined);
        added = latest + 1;
        await client.query(`INSERT INTO contract_versions ${INSERT_VERSION} VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, versionValues(added, next));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw pgStoreError(error, options.url, 'contract register');
      } finally {
        client.release();
      }
      return (await version(contract.name, added)) as ContractVersion;
    },
    getVersion: version,
    listVersions: async (name) => (await rows<VersionRow>('SELECT * FROM contract_versions WHERE name = $1 ORDER BY version', [name])).map(toVersion),
    approve: async (name, v, actor, at) => {
      await rows("UPDATE contract_versions SET status = 'active', approved_by = $1, approved_at = $2 WHERE name = $3 AND version = $4", [actor, at, name, v]);
      return version(name, v);
    },
    close: () => pool.end(),
  };
}

/** The contract store beside the configured message store. */
export function openContractStore(store: LoomConfig['store']): Promise<ContractStore> {
  return store.kind === 'postgres'
    ? openPostgresContractStore({ url: store.url, ...(store.schema ? { schema: store.schema } : {}) })
    : Promise.resolve(openSqliteContractStore({ dataDir: store.dataDir }));
}
