/** A lease one node holds on a named singleton until `expiresAt` unless it renews. */
export interface Lease {
  name: string;
  holder: string;
  /** Epoch ms (the lease store's clock). */
  acquiredAt: number;
  expiresAt: number;
  /** Bumped whenever the lease changes hands: work stamped with an older token is from a former holder. */
  fencingToken: number;
}

/**
 * The LeaseManager port: named singletons (process timer sweep, retention, partner overdue-ACK
 * timers, reconciliation schedules, bus partitions) held by exactly one node at a time. On
 * PostgreSQL the lease lives in the shared database, so a holder that dies loses it after its
 * TTL and a survivor takes over; on SQLite (one node) it is held locally.
 *
 * @example
 * const lease = await leases.tryAcquire('process-sweep', 'node-a', 15_000);
 * if (lease) { await sweep(); await leases.renew('process-sweep', 'node-a', 15_000); }
 */
export interface LeaseManager {
  /** Take `name` for `nodeId` when it is free, expired, or already ours (then it is extended); undefined when another node holds it. */
  tryAcquire(name: string, nodeId: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extend our lease; false when it is no longer ours (expired and taken, or released). */
  renew(name: string, nodeId: string, ttlMs: number): Promise<boolean>;
  /** Give the lease up now, so another node need not wait for the TTL. No-op when not ours. */
  release(name: string, nodeId: string): Promise<void>;
  /** Every lease, held or expired. */
  list(): Promise<Lease[]>;
}

/** One node's heartbeat: who it is and when it last said so. */
export interface NodeHeartbeat {
  nodeId: string;
  startedAt: number;
  heartbeatAt: number;
  /** Free-form facts the node reports (API URL, version, pid). */
  info: Record<string, unknown>;
}

/** The nodes of a cluster, each keeping its heartbeat fresh. */
export interface NodeRegistry {
  heartbeat(node: { nodeId: string; startedAt: number; info: Record<string, unknown> }): Promise<void>;
  nodes(): Promise<NodeHeartbeat[]>;
  /** The lease store's clock (epoch ms), so ages are compared on one clock. */
  now(): Promise<number>;
}
