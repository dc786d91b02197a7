import type { Crosswalk, CrosswalkRow } from '../mappings/crosswalk.js';
import type { CrosswalkDiff } from './rows.js';

/** One version of a named crosswalk, without its rows. */
export interface CrosswalkVersionInfo {
  name: string;
  version: string;
  status: 'draft' | 'published';
  /** ISO date from which the rows apply. */
  effectiveDate: string;
  author: string;
  note?: string;
  createdAt: string;
  publishedAt?: string;
  publishedBy?: string;
  rowCount: number;
}

/** A version with its rows: a `Crosswalk` (the mappings' type) plus its metadata. */
export interface CrosswalkVersionDetail extends CrosswalkVersionInfo, Crosswalk {}

export interface CrosswalkSummary {
  name: string;
  versions: number;
  /** The published version in effect today, if any. */
  current?: string;
  drafts: string[];
}

/** A row edit on a draft; `key` is `rowKey(row)` of the row being changed (`charge:278001`). */
export type RowEdit = { op: 'add'; row: CrosswalkRow } | { op: 'update'; key: string; row: CrosswalkRow } | { op: 'delete'; key: string };

/** An audited change: import, draft, edit or publish, with who did it. */
export interface CrosswalkChange {
  id: number;
  name: string;
  version: string;
  action: 'import' | 'draft' | 'edit' | 'publish';
  actor: string;
  at: string;
  detail: Record<string, unknown>;
}

export interface ImportOptions {
  author: string;
  note?: string;
  /** Wins over the CSV's `#effective=` line. */
  effectiveDate?: string;
  /** Wins over the CSV's `#version=` line; without either the next number is used. */
  version?: string;
}

export interface DraftOptions {
  author: string;
  note?: string;
  effectiveDate: string;
  version?: string;
  /** Copy the rows of this version (default: the latest published one, else start empty). */
  from?: string;
}

/** Versioned crosswalk tables (async: SQLite in the node's loom.db or PostgreSQL shared by nodes): drafts edited row by row, published versions immutable and dated. */
export interface CrosswalkRepository {
  list(): Promise<CrosswalkSummary[]>;
  versions(name: string): Promise<CrosswalkVersionInfo[]>;
  get(name: string, version: string): Promise<CrosswalkVersionDetail>;
  /** The published version in effect at `at` (default now), or undefined when none is. */
  current(name: string, at?: Date | string): Promise<CrosswalkVersionDetail | undefined>;
  importCsv(name: string, text: string, options: ImportOptions): Promise<CrosswalkVersionDetail>;
  createDraft(name: string, options: DraftOptions): Promise<CrosswalkVersionDetail>;
  editRows(name: string, version: string, edits: readonly RowEdit[], actor: string): Promise<CrosswalkVersionDetail>;
  publish(name: string, version: string, actor: string): Promise<CrosswalkVersionInfo>;
  diff(name: string, from: string, to: string): Promise<CrosswalkDiff>;
  changes(name: string): Promise<CrosswalkChange[]>;
  close(): Promise<void>;
}
