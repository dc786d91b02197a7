export type CatalogKind = 'system' | 'channel' | 'destination' | 'process';
export type Direction = 'inbound' | 'outbound' | 'internal';

/**
 * One interface of the estate: a system, channel, destination or process, with what a portfolio
 * review asks of it. `id` is `<kind>:<name>` (`destination:<channel>/<destination>`).
 */
export interface CatalogEntry {
  id: string;
  kind: CatalogKind;
  name: string;
  /** Where the entry comes from: `config`, or an import's source (`mirth:ADT-Inbound.xml`). */
  source: string;
  description?: string;
  owner?: string;
  /** mllp, http, amqp, file, channel, fhir-store, … */
  protocol?: string;
  direction?: Direction;
  criticality?: 'low' | 'medium' | 'high' | 'critical';
  /** PHI, PII, financial, operational, public. */
  dataClasses: string[];
  sla?: string;
  /** Entries this one stops without (any of them down → it stops). */
  dependsOn: string[];
  /** Entries that feed it (all of them down → it stops; some → degraded). */
  fedBy: string[];
}

/** What stops, and what only runs on part of its feed, when a system is down. */
export interface ImpactMap {
  system: string;
  stopped: Array<{ id: string; reason: string }>;
  degraded: Array<{ id: string; reason: string }>;
}

/** Entries imported from elsewhere (a Mirth Connect export, a spreadsheet), replaced per source. */
export interface CatalogStore {
  /** Replace every entry of `source` with `entries`; returns how many are stored for it. */
  replaceSource(source: string, entries: CatalogEntry[], importedBy: string): Promise<number>;
  list(): Promise<CatalogEntry[]>;
  close(): Promise<void>;
}
