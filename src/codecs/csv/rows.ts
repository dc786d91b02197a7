import type { Info } from 'csv-parse';
import type { ZodType } from 'zod';
import { LoomError } from '../../kernel/errors.js';

export interface CsvOptions<T = Record<string, string>> {
  /** First line holds column names (default true). */
  header?: boolean;
  /** Column names; with `header: true` they replace the file's header line. */
  columns?: string[];
  delimiter?: string;
  /** Per-row schema: a failing row becomes an error, the batch goes on. */
  schema?: ZodType<T>;
}

/** One outcome per data row: the record, or why the row was rejected. */
export type CsvRowResult<T> =
  | { ok: true; line: number; record: T }
  | { ok: false; line: number; error: LoomError };

export interface CsvTable<T = Record<string, string>> {
  columns: string[];
  rows: T[];
  /** Starting line (1-based) of each row in `rows`. */
  lines: number[];
  /** Rejected rows: `csv.row.invalid` at `line N`. */
  errors: LoomError[];
}

/** csv-parse options shared by the sync and streaming paths. */
export function parserOptions(opts: CsvOptions<unknown>, onSkip: (err: unknown) => void): Record<string, unknown> {
  return {
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true, // ragged rows are reported per row below, not fatal
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: onSkip,
    ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
  };
}

/** The 1-based line a record starts on: csv-parse reports the line where it ends. */
function startLine(info: Info, raw: string): number {
  const body = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
  return info.lines - (body.match(/\n/g)?.length ?? 0);
}

export function skipError(err: unknown): LoomError {
  const e = err as { message?: string; lines?: number; code?: string };
  return new LoomError('csv.row.invalid', `unreadable row: ${e.message ?? String(err)}`, {
    location: `line ${e.lines ?? '?'}`,
    hint: e.code?.includes('QUOTE') ? 'a quoted field must close its quote, and a quote inside it is written twice ("")' : undefined,
    cause: err,
  });
}

/** Turns parsed arrays into records: header handling, ragged-row and schema checks. */
export class RowBuilder<T> {
  columns: string[] | undefined;
  private sawHeader = false;

  constructor(private readonly opts: CsvOptions<T>) {
    this.columns = opts.columns;
  }

  /** Undefined for the header line. */
  accept(fields: string[], info: Info, raw: string): CsvRowResult<T> | undefined {
    const line = startLine(info, raw);
    if ((this.opts.header ?? true) && !this.sawHeader) {
      this.sawHeader = true;
      this.columns ??= fields.map((f) => f.trim());
      return undefined;
    }
    const columns = (this.columns ??= fields.map((_, i) => String(i + 1)));
    if (fields.length !== columns.length) {
      return { ok: false, line, error: new LoomError('csv.row.invalid', `row has ${fields.length} fields but the header has ${columns.length}`, {
        location: `line ${line}`, hint: 'quote fields that contain the delimiter, and give every row all columns',
      }) };
    }
    const record: Record<string, string> = {};
    columns.forEach((c, i) => { record[c] = fields[i] ?? ''; });
    if (!this.opts.schema) return { ok: true, line, record: record as T };
    const parsed = this.opts.schema.safeParse(record);
    if (parsed.success) return { ok: true, line, record: parsed.data };
    const issues = parsed.error.issues;
    const first = issues[0];
    const column = first?.path.length ? String(first.path[0]) : undefined;
    return { ok: false, line, error: new LoomError('csv.row.invalid',
      issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; '),
      { location: column ? `line ${line} column ${column}` : `line ${line}`, hint: 'fix the value or the row schema' }) };
  }
}
