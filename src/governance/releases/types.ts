import type { Page } from '../../kernel/store.js';

/** Why a configuration was applied. */
export type ReleaseReason = 'start' | 'reload' | 'rollback';

/** One applied estate configuration: the YAML as written (secrets stay `${env:}`/`${file:}` references). */
export interface Release {
  /** 1, 2, 3, … */
  version: number;
  /** SHA-256 (hex) of `text`. */
  hash: string;
  /** ISO 8601 UTC. */
  at: string;
  actor: string;
  reason: ReleaseReason;
  /** The config file it was read from. */
  file?: string;
  text: string;
  /** Crosswalk name → version in effect when it was applied. */
  crosswalks: Record<string, string>;
  /** For a rollback: the version returned to. */
  rolledBackTo?: number;
}

export type ReleaseSummary = Omit<Release, 'text'>;

export type NewRelease = Omit<Release, 'version' | 'hash' | 'at'>;

/**
 * The releases' store port. `record` serializes writers (several nodes may share PostgreSQL) and
 * returns the latest version instead of a new one when nothing changed (same text, same crosswalks,
 * e.g. a restart or a second node starting).
 */
export interface ReleaseStore {
  record(release: NewRelease & { hash: string; at: string }): Promise<{ release: Release; created: boolean }>;
  get(version: number): Promise<Release | undefined>;
  latest(): Promise<Release | undefined>;
  /** Newest first; cursor = versions below it. */
  list(query: { cursor?: number; limit?: number }): Promise<Page<ReleaseSummary>>;
  close(): Promise<void>;
}

/** One changed field, by path (`destinations[erp].url`). */
export interface FieldChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

/** Changes of a list of named items (channels, systems, destinations). */
export interface NamedChanges {
  added: string[];
  removed: string[];
  changed: Array<{ name: string; fields: FieldChange[] }>;
}

/** What changes from one release to another. */
export interface ReleaseDiff {
  channels: NamedChanges;
  systems: NamedChanges;
  /** Mappings the channels' steps use (`translate with: { mapping }`). */
  mappings: { added: string[]; removed: string[] };
  /** Contract pins per channel (`contract: { name, version }`). */
  contracts: Array<{ channel: string; from?: string; to?: string }>;
  /** Crosswalk versions in effect. */
  crosswalks: Array<{ name: string; from?: string; to?: string }>;
  /** Every other section (server, store, retention, alerts, slas, governance, …). */
  other: FieldChange[];
}
