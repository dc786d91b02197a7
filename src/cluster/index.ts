/**
 * Several Loom nodes on one PostgreSQL (and NATS): singletons under leases, node heartbeats, the
 * `cluster:` config section.
 *
 * @example
 * const singletons = new Singletons(leases, 'node-a', { ttlMs: 15_000 });
 * singletons.run({ name: 'retention', everyMs: 3_600_000, task: () => engine.prune(policy) });
 */
export { Singletons, type SingletonOptions } from './singletons.js';
