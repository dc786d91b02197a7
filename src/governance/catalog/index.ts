/**
 * The interface catalog: every channel, destination, process and system with owner, protocol,
 * direction, business criticality, data classes, SLA and dependencies; a dependency map of what
 * stops when a system is down; Markdown and CSV reports; imports from elsewhere.
 *
 * @example catalogMarkdown(catalogFromConfig(loaded.config))
 */
export { catalogFromConfig, type CatalogConfig } from './build.js';
export { impactOf } from './impact.js';
export { catalogMarkdown, catalogCsv } from './report.js';
export { InterfaceCatalog } from './catalog.js';
export { openCatalogStore, openSqliteCatalogStore, openPostgresCatalogStore } from './stores.js';
export type * from './types.js';
