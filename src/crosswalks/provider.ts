import type { Crosswalk } from '../mappings/crosswalk.js';
import { notEffective } from './errors.js';
import type { CrosswalkRepository } from './types.js';

/** Gives a mapping the crosswalk in effect at a time (the message's time, so replays see the rows of then). */
export type CrosswalkProvider = (name: string, at?: Date | string) => Promise<Crosswalk>;

/**
 * Adapt a repository to the mappings: the published version in effect at `at` (default now), as the
 * plain `Crosswalk` the mappings take; `crosswalk.not-effective` when none is.
 *
 * @example
 * const crosswalkAt = crosswalkProvider(repository);
 * mapDftCharges(tree, { crosswalk: await crosswalkAt('charge-codes', event.occurredAt) });
 */
export function crosswalkProvider(repository: Pick<CrosswalkRepository, 'current'>): CrosswalkProvider {
  return async (name, at = new Date()) => {
    const found = await repository.current(name, at);
    if (found === undefined) throw notEffective(name, typeof at === 'string' ? at : at.toISOString());
    return { version: found.version, effectiveDate: found.effectiveDate, rows: found.rows };
  };
}
