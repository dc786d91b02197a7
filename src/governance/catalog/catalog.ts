import type { AuditSink } from '../../kernel/audit.js';
import { LoomError } from '../../kernel/errors.js';
import { catalogFromConfig, type CatalogConfig } from './build.js';
import { impactOf } from './impact.js';
import type { CatalogEntry, CatalogStore, ImpactMap } from './types.js';

/**
 * The interface catalog: entries derived from the running config plus entries imported from
 * elsewhere (`source` names where; a later importer reads Mirth Connect channel exports).
 * A config entry wins over an imported one with the same id.
 *
 * @example
 * const catalog = new InterfaceCatalog(store, () => loaded.config, audit);
 * (await catalog.impact('erp')).stopped // the flows that stop while the ERP is down
 */
export class InterfaceCatalog {
  constructor(private readonly store: CatalogStore, private readonly config: () => CatalogConfig, private readonly audit: AuditSink) {}

  async entries(): Promise<CatalogEntry[]> {
    const derived = catalogFromConfig(this.config());
    const ids = new Set(derived.map((e) => e.id));
    return [...derived, ...(await this.store.list()).filter((e) => !ids.has(e.id))];
  }

  async impact(system: string): Promise<ImpactMap> {
    const entries = await this.entries();
    const id = system.includes(':') ? system : `system:${system}`;
    if (!entries.some((e) => e.id === id || e.dependsOn.includes(id))) {
      throw new LoomError('catalog.system.unknown', `no catalog entry is or depends on ${id}`, { location: system, hint: `systems: ${entries.filter((e) => e.kind === 'system').map((e) => e.name).join(', ') || 'none'}` });
    }
    return impactOf(entries, system);
  }

  /** Replace the entries of one import source (re-importing the same export is idempotent); audited. */
  async import(source: string, entries: CatalogEntry[], who: { actor: string }): Promise<number> {
    if (source === 'config') throw new LoomError('catalog.source.reserved', '"config" is the source of the entries Loom derives itself', { location: 'source', hint: 'name the import after where it comes from, e.g. mirth:ADT-Inbound.xml' });
    const count = await this.store.replaceSource(source, entries, who.actor);
    await this.audit.append({ ...who, action: 'catalog.import', target: `catalog/${source}`, detail: { entries: count } });
    return count;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
