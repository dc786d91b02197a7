import { parseCsv } from '../codecs/csv/index.js';
import { LoomError } from '../kernel/errors.js';
import { codeUnknown } from './errors.js';

/**
 * Crosswalks are DATA, versioned and dated, passed into mappings. Two row kinds:
 * - `charge`: charge code (CDM / FT1-7) ↔ item ↔ GL expense account ↔ cost center (+ offset account)
 * - `code`: a local code ↔ a standard code (e.g. local procedure code → CPT).
 * Storage and editing through the API come later (mdm/); today a crosswalk is loaded from CSV.
 */
export interface ChargeRow {
  kind: 'charge';
  chargeCode: string;
  itemId?: string;
  glAccount: string;
  costCenter?: string;
  /** Credit side of a cost posting (inventory asset account). */
  offsetAccount?: string;
  description?: string;
}
export interface CodeRow {
  kind: 'code';
  sourceSystem: string;
  sourceCode: string;
  targetSystem: string;
  targetCode: string;
  description?: string;
}
export type CrosswalkRow = ChargeRow | CodeRow;

export interface Crosswalk {
  version: string;
  /** ISO date from which the rows apply. */
  effectiveDate: string;
  rows: CrosswalkRow[];
}

export interface CrosswalkRowError {
  /** 1-based line in the CSV text. */
  line: number;
  code: string;
  message: string;
}

export const CROSSWALK_COLUMNS = ['kind', 'source_system', 'source_code', 'target_system', 'target_code', 'item_id', 'gl_account', 'cost_center', 'offset_account', 'description'] as const;

/**
 * Parse crosswalk CSV. The first line may be `#version=2025.1;effective=2025-01-01`; options win.
 * Bad rows are reported per line and skipped; good rows are kept.
 *
 * @example
 * const { crosswalk, errors } = loadCrosswalkCsv(text, { version: '2025.1', effectiveDate: '2025-01-01' });
 */
export function loadCrosswalkCsv(text: string, options: { version?: string; effectiveDate?: string } = {}): { crosswalk: Crosswalk; errors: CrosswalkRowError[] } {
  const meta: Record<string, string> = {};
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (first.startsWith('#')) {
    for (const part of first.slice(1).split(/[;,]/)) {
      const [k, v] = part.split('=').map((s) => s.trim());
      if (k && v) meta[k] = v;
    }
  }
  const version = options.version ?? meta.version;
  const effectiveDate = options.effectiveDate ?? meta.effective ?? meta.effectiveDate;
  if (!version || !effectiveDate || !/^\d{4}-\d{2}-\d{2}$/.test(effectiveDate)) {
    throw new LoomError('crosswalk.meta.missing', 'a crosswalk needs a version and an ISO effective date', {
      location: 'line 1', hint: 'start the CSV with "#version=2025.1;effective=2025-01-01" or pass { version, effectiveDate }',
    });
  }
  // Blank out the metadata line rather than dropping it, so reported line numbers stay physical.
  const body = first.startsWith('#') ? text.slice(first.length) : text;
  const table = parseCsv(body);
  const header = table.columns.map((h) => h.toLowerCase());
  const missingCols = CROSSWALK_COLUMNS.filter((c) => !header.includes(c));
  if (missingCols.includes('kind') || missingCols.includes('source_code')) {
    throw new LoomError('crosswalk.header.invalid', `crosswalk header lacks ${missingCols.join(', ')}`, { location: 'header line', hint: `header: ${CROSSWALK_COLUMNS.join(',')}` });
  }
  const rows: CrosswalkRow[] = [];
  const rowLines: number[] = [];
  const errors: CrosswalkRowError[] = table.errors.map((e) => ({ line: Number(/line (\d+)/.exec(e.location ?? '')?.[1] ?? 0), code: e.code, message: e.message }));
  table.rows.forEach((rec, i) => {
    const line = table.lines[i] ?? 0;
    const byLower = new Map(Object.entries(rec).map(([k, v]) => [k.toLowerCase(), v.trim()]));
    const get = (c: (typeof CROSSWALK_COLUMNS)[number]): string | undefined => {
      const v = byLower.get(c);
      return v === undefined || v === '' ? undefined : v;
    };
    const kind = get('kind');
    if (kind?.startsWith('#')) return; // comment row
    const description = get('description');
    const need = (cols: (typeof CROSSWALK_COLUMNS)[number][]): boolean => {
      const absent = cols.filter((c) => get(c) === undefined);
      if (absent.length > 0) errors.push({ line, code: 'crosswalk.row.missing', message: `${kind ?? ''} row lacks ${absent.join(', ')}` });
      return absent.length === 0;
    };
    if (kind === 'charge') {
      if (!need(['source_code', 'gl_account'])) return;
      rowLines.push(line);
      rows.push(compact({ kind: 'charge', chargeCode: get('source_code') ?? '', itemId: get('item_id'), glAccount: get('gl_account') ?? '', costCenter: get('cost_center'), offsetAccount: get('offset_account'), description }));
    } else if (kind === 'code') {
      if (!need(['source_system', 'source_code', 'target_system', 'target_code'])) return;
      rowLines.push(line);
      rows.push(compact({ kind: 'code', sourceSystem: get('source_system') ?? '', sourceCode: get('source_code') ?? '', targetSystem: get('target_system') ?? '', targetCode: get('target_code') ?? '', description }));
    } else {
      errors.push({ line, code: 'crosswalk.row.kind', message: `kind "${kind ?? ''}" is neither "charge" nor "code"` });
    }
  });
  // Duplicate keys: the first row wins; later ones are reported and dropped.
  const seen = new Set<string>();
  const kept: CrosswalkRow[] = [];
  rows.forEach((r, i) => {
    const key = r.kind === 'charge' ? `charge ${r.chargeCode}` : `code ${r.sourceSystem}|${r.sourceCode} → ${r.targetSystem}`;
    if (seen.has(key)) errors.push({ line: rowLines[i] ?? 0, code: 'crosswalk.row.duplicate', message: `${key} appears again; the first row wins` });
    else kept.push(r);
    seen.add(key);
  });
  errors.sort((a, b) => a.line - b.line);
  return { crosswalk: { version, effectiveDate, rows: kept }, errors };

}

/** The charge row for a charge code, or `mapping.code.unknown` at `location`. */
export function lookupCharge(crosswalk: Crosswalk, chargeCode: string, location: string): ChargeRow {
  const row = crosswalk.rows.find((r): r is ChargeRow => r.kind === 'charge' && r.chargeCode === chargeCode);
  if (row === undefined) throw codeUnknown(location, 'charge', chargeCode, crosswalk.version);
  return row;
}

/** The charge row whose item id is `itemId`, or `mapping.code.unknown`. */
export function lookupChargeByItem(crosswalk: Crosswalk, itemId: string, location: string): ChargeRow {
  const row = crosswalk.rows.find((r): r is ChargeRow => r.kind === 'charge' && r.itemId === itemId);
  if (row === undefined) throw codeUnknown(location, 'charge (by item)', itemId, crosswalk.version);
  return row;
}

/** Translate a local code to a standard one; undefined when no row exists (callers decide if that is an error). */
export function translateCode(crosswalk: Crosswalk, sourceSystem: string, sourceCode: string, targetSystem: string): CodeRow | undefined {
  return crosswalk.rows.find((r): r is CodeRow => r.kind === 'code' && r.sourceSystem === sourceSystem && r.sourceCode === sourceCode && r.targetSystem === targetSystem);
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
