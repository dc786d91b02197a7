import { LoomError } from '../../kernel/errors.js';
import type { FormatCodec, ParseSummary, ValidationReport } from '../format.js';
import { parseCsv } from './parse.js';
import type { CsvTable } from './rows.js';

/**
 * Reads `row[N].column` (N 1-based data row) from a table.
 * @example getCsv(table, 'row[1].gtin') // '09506000134352'
 */
export function getCsv(table: CsvTable, path: string): string | undefined {
  const m = /^row\[(\d+)\]\.(.+)$/.exec(path);
  if (!m?.[1] || !m[2]) {
    throw new LoomError('csv.path.invalid', `"${path}" is not a CSV path`, { location: path, hint: 'use row[N].column with N counted from 1' });
  }
  return table.rows[Number(m[1]) - 1]?.[m[2]];
}

/** CSV batch files: chosen by the `.csv` extension, so `detect` never claims content. */
export const csvCodec: FormatCodec<CsvTable> = {
  format: 'csv',
  detect: () => false,
  parse: (input) => parseCsv(input, { header: true }),
  validate(parsed: CsvTable): ValidationReport {
    return { errors: parsed.errors.map((e) => e.toJSON()), warnings: [] };
  },
  summarize(parsed: CsvTable): ParseSummary {
    return {
      format: 'csv', types: ['csv'], controlIds: [],
      counts: { rows: parsed.rows.length, columns: parsed.columns.length, rejected: parsed.errors.length },
      warnings: parsed.errors.map((e) => e.toJSON()),
    };
  },
  get: (parsed, path) => getCsv(parsed, path),
  toJson: (parsed) => ({ columns: parsed.columns, rows: parsed.rows }),
};
