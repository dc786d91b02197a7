/**
 * Release management: every applied estate config stored as a version (hash, time, actor, the
 * crosswalk versions in effect), diffs between any two, rollback; each step audited.
 *
 * @example
 * const releases = new ReleaseManager({ store: await openReleaseStore(config.store), audit, configFile: () => file });
 * console.log(renderDiff((await releases.diff(3, 'current')).diff));
 */
export { ReleaseManager, type ReleaseManagerOptions, type ReleaseRef } from './manager.js';
export { diffReleases, isEmptyDiff, type ReleaseSnapshot } from './diff.js';
export { renderDiff } from './render.js';
export { openReleaseStore } from './open.js';
export { openSqliteReleaseStore, SqliteReleaseStore } from './sqlite-store.js';
export { openPostgresReleaseStore, PostgresReleaseStore } from './postgres-store.js';
export type * from './types.js';
