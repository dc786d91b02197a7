// CSV batch codec on csv-parse / csv-stringify: per-row errors and schemas, streaming.
export type { CsvOptions, CsvRowResult, CsvTable } from './rows.js';
export { parseCsv, streamCsv } from './parse.js';
export { formatCsv } from './format.js';
export type { FormatCsvOptions } from './format.js';
export { csvCodec, getCsv } from './codec.js';
