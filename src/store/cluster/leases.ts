import type { Lease, LeaseManager, NodeHeartbeat, NodeRegistry } from '../../kernel/index.js';
import type { SqlExecutor } from '../sql.js';

interface LeaseRow { name: string; holder: string; acquired_at: number; expires_at: number; fencing_token: number }
interface NodeRow { node_id: string; started_at: number; heartbeat_at: number; info: string }

const toLease = (r: LeaseRow): Lease => ({
  name: r.name, holder: r.holder, acquiredAt: Number(r.acquired_at), expiresAt: Number(r.expires_at), fencingToken: Number(r.fencing_token),
});

/** The database's clock in epoch ms: one clock for every node. */
const NOW: Record<SqlExecutor['dialect'], string> = {
  sqlite: "CAST(unixepoch('subsec') * 1000 AS INTEGER)",
  postgres: 'CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)',
};

/**
 * Leases and heartbeats in `cluster_leases` / `cluster_nodes` (migration 008), on either store.
 * Acquire is one conditional upsert, so two nodes racing for a free lease cannot both win: the
 * row lock (PostgreSQL) or the write lock (SQLite) orders them and the loser's WHERE fails.
 *
 * @example const leases = new SqlLeaseManager(pgExecutor(pool)); await leases.tryAcquire('retention', 'node-a', 15_000);
 */
export class SqlLeaseManager implements LeaseManager, NodeRegistry {
  private readonly clockSql: string;

  constructor(private readonly db: SqlExecutor) {
    this.clockSql = NOW[db.dialect];
  }

  async tryAcquire(name: string, nodeId: string, ttlMs: number): Promise<Lease | undefined> {
    const row = await this.db.get<LeaseRow>(`INSERT INTO cluster_leases (name, holder, acquired_at, expires_at, fencing_token)
      VALUES (?, ?, ${this.clockSql}, ${this.clockSql} + ?, 1)
      ON CONFLICT (name) DO UPDATE SET
        acquired_at = CASE WHEN cluster_leases.holder = excluded.holder AND cluster_leases.expires_at >= ${this.clockSql} THEN cluster_leases.acquired_at ELSE excluded.acquired_at END,
        fencing_token = CASE WHEN cluster_leases.holder = excluded.holder AND cluster_leases.expires_at >= ${this.clockSql} THEN cluster_leases.fencing_token ELSE cluster_leases.fencing_token + 1 END,
        holder = excluded.holder, expires_at = excluded.expires_at
      WHERE cluster_leases.holder = excluded.holder OR cluster_leases.expires_at < ${this.clockSql}
      RETURNING *`, [name, nodeId, ttlMs]);
    return row ? toLease(row) : undefined;
  }

  async renew(name: string, nodeId: string, ttlMs: number): Promise<boolean> {
    return (await this.db.run(`UPDATE cluster_leases SET expires_at = ${this.clockSql} + ? WHERE name = ? AND holder = ? AND expires_at >= ${this.clockSql}`, [ttlMs, name, nodeId])) === 1;
  }

  async release(name: string, nodeId: string): Promise<void> {
    await this.db.run(`UPDATE cluster_leases SET expires_at = ${this.clockSql} - 1 WHERE name = ? AND holder = ?`, [name, nodeId]);
  }

  async list(): Promise<Lease[]> {
    return (await this.db.all<LeaseRow>('SELECT * FROM cluster_leases ORDER BY name')).map(toLease);
  }

  async heartbeat(node: { nodeId: string; startedAt: number; info: Record<string, unknown> }): Promise<void> {
    await this.db.run(`INSERT INTO cluster_nodes (node_id, started_at, heartbeat_at, info) VALUES (?, ?, ${this.clockSql}, ?)
      ON CONFLICT (node_id) DO UPDATE SET started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, info = excluded.info`,
    [node.nodeId, node.startedAt, JSON.stringify(node.info)]);
  }

  async nodes(): Promise<NodeHeartbeat[]> {
    return (await this.db.all<NodeRow>('SELECT * FROM cluster_nodes ORDER BY node_id')).map((r) => ({
      nodeId: r.node_id, startedAt: Number(r.started_at), heartbeatAt: Number(r.heartbeat_at), info: JSON.parse(r.info) as Record<string, unknown>,
    }));
  }

  async now(): Promise<number> {
    return Number((await this.db.get<{ now: number }>(`SELECT ${this.clockSql} AS now`))?.now ?? Date.now());
  }
}
