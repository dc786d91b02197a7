import type { CatalogEntry, ImpactMap } from './types.js';

/**
 * Which flows stop if `system` is down: entries depending on it (or on anything stopped) stop;
 * an entry fed by several channels stops when all of them stop and is degraded when some do.
 * Pure fixpoint over the catalog's edges.
 *
 * @example impactOf(catalog, 'ehr').stopped.map((s) => s.id) // ['channel:ehr-hl7', 'destination:ehr-hl7/to-events', ...]
 */
export function impactOf(entries: readonly CatalogEntry[], system: string): ImpactMap {
  const down = system.includes(':') ? system : `system:${system}`;
  const stopped = new Map<string, string>([[down, 'down']]);
  const degraded = new Map<string, string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const e of entries) {
      if (stopped.has(e.id)) continue;
      const hard = e.dependsOn.find((id) => stopped.has(id));
      const feedsDown = e.fedBy.filter((id) => stopped.has(id));
      let reason: string | undefined;
      if (hard) reason = hard === down ? `depends on ${hard}, which is down` : `depends on ${hard}, which stops`;
      else if (e.fedBy.length > 0 && feedsDown.length === e.fedBy.length) reason = `every feed stops (${feedsDown.join(', ')})`;
      if (reason) {
        stopped.set(e.id, reason);
        degraded.delete(e.id);
        changed = true;
      } else if (feedsDown.length > 0) {
        degraded.set(e.id, `fed by ${feedsDown.join(', ')}, which stop${feedsDown.length === 1 ? 's' : ''}; other feeds continue`);
      }
    }
  }
  stopped.delete(down);
  const order = new Map(entries.map((e, i) => [e.id, i]));
  const sorted = (m: Map<string, string>) => [...m].sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0)).map(([id, reason]) => ({ id, reason }));
  return { system: down.replace(/^system:/, ''), stopped: sorted(stopped), degraded: sorted(degraded) };
}
