import { LoomError } from '../kernel/errors.js';
import type { ChargeRow, CodeRow, CrosswalkRow } from '../mappings/crosswalk.js';

/** A change between two versions of one row (same key). */
export interface RowChange {
  key: string;
  from: CrosswalkRow;
  to: CrosswalkRow;
}

/** Rows added, removed and changed going from one version to another, each sorted by key. */
export interface CrosswalkDiff {
  added: CrosswalkRow[];
  removed: CrosswalkRow[];
  changed: RowChange[];
}

/**
 * A row's identity, the same one `loadCrosswalkCsv` uses for duplicates: the charge code for charge
 * rows, source system + code + target system for code rows.
 *
 * @example rowKey({ kind: 'charge', chargeCode: '278001', glAccount: '6100' }) // 'charge:278001'
 */
export function rowKey(row: CrosswalkRow): string {
  return row.kind === 'charge' ? `charge:${row.chargeCode}` : `code:${row.sourceSystem}|${row.sourceCode}|${row.targetSystem}`;
}

const CHARGE_REQUIRED = ['chargeCode', 'glAccount'] as const;
const CHARGE_OPTIONAL = ['itemId', 'costCenter', 'offsetAccount', 'description'] as const;
const CODE_REQUIRED = ['sourceSystem', 'sourceCode', 'targetSystem', 'targetCode'] as const;
const CODE_OPTIONAL = ['description'] as const;

/**
 * Check an edited row (from the API or code) and return it trimmed and without empty optional fields,
 * or throw `crosswalk.row.invalid` at `location`.
 *
 * @example normalizeRow({ kind: 'code', sourceSystem: 'LOCAL', sourceCode: 'P1', targetSystem: 'CPT', targetCode: '27130' }, 'edits[0].row')
 */
export function normalizeRow(input: unknown, location: string): CrosswalkRow {
  if (typeof input !== 'object' || input === null) throw invalid(location, 'a row must be an object');
  const record = input as Record<string, unknown>;
  const kind = record.kind;
  if (kind !== 'charge' && kind !== 'code') throw invalid(`${location}.kind`, `kind "${String(kind)}" is neither "charge" nor "code"`);
  const required = kind === 'charge' ? CHARGE_REQUIRED : CODE_REQUIRED;
  const optional: readonly string[] = kind === 'charge' ? CHARGE_OPTIONAL : CODE_OPTIONAL;
  const out: Record<string, string> = { kind };
  for (const field of required) {
    const value = record[field];
    if (typeof value !== 'string' || value.trim() === '') throw invalid(`${location}.${field}`, `${kind} row lacks ${field}`);
    out[field] = value.trim();
  }
  for (const field of optional) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw invalid(`${location}.${field}`, `${field} must be a string`);
    if (value.trim() !== '') out[field] = value.trim();
  }
  const unknownFields = Object.keys(record).filter((k) => k !== 'kind' && !(required as readonly string[]).includes(k) && !optional.includes(k));
  if (unknownFields.length > 0) throw invalid(location, `${kind} rows have no field ${unknownFields.join(', ')}`);
  return kind === 'charge' ? (out as unknown as ChargeRow) : (out as unknown as CodeRow);
}

/** The row as JSON with its fields in a fixed order, so equal rows serialize equally. */
export function canonicalJson(row: CrosswalkRow): string {
  const sorted = Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(sorted);
}

/**
 * Compare two sets of rows by key.
 *
 * @example diffRows(v1.rows, v2.rows) // { added: [...], removed: [...], changed: [{ key, from, to }] }
 */
export function diffRows(from: readonly CrosswalkRow[], to: readonly CrosswalkRow[]): CrosswalkDiff {
  const before = new Map(from.map((r) => [rowKey(r), r]));
  const after = new Map(to.map((r) => [rowKey(r), r]));
  const byKey = (a: CrosswalkRow, b: CrosswalkRow): number => (rowKey(a) < rowKey(b) ? -1 : 1);
  const added = [...after].filter(([k]) => !before.has(k)).map(([, r]) => r).sort(byKey);
  const removed = [...before].filter(([k]) => !after.has(k)).map(([, r]) => r).sort(byKey);
  const changed: RowChange[] = [];
  for (const [key, row] of after) {
    const old = before.get(key);
    if (old !== undefined && canonicalJson(old) !== canonicalJson(row)) changed.push({ key, from: old, to: row });
  }
  changed.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { added, removed, changed };
}

function invalid(location: string, message: string): LoomError {
  return new LoomError('crosswalk.row.invalid', message, {
    location,
    hint: 'charge rows need chargeCode and glAccount (optional itemId, costCenter, offsetAccount, description); code rows need sourceSystem, sourceCode, targetSystem, targetCode',
  });
}
