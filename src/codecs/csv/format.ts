import { stringify } from 'csv-stringify/sync';

export interface FormatCsvOptions {
  /** Column order; defaults to the keys of the first row. */
  columns?: string[];
  header?: boolean;
  delimiter?: string;
}

/**
 * Writes records as CSV (RFC 4180 quoting) via csv-stringify.
 * @example formatCsv([{ gtin: '09506000134352', lot: 'A,1' }]) // 'gtin,lot\n09506000134352,"A,1"\n'
 */
export function formatCsv(rows: Record<string, unknown>[], opts: FormatCsvOptions = {}): string {
  const columns = opts.columns ?? Object.keys(rows[0] ?? {});
  return stringify(rows, { header: opts.header ?? true, columns, delimiter: opts.delimiter ?? ',' });
}
