import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { parse as parseStream, type Info } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { LoomError } from '../../kernel/errors.js';
import { type CsvOptions, type CsvRowResult, type CsvTable, parserOptions, RowBuilder, skipError } from './rows.js';

interface InfoRecord { record: string[]; info: Info; raw: string }

function fatal(e: unknown): LoomError {
  const err = e as { message?: string; lines?: number };
  return new LoomError('csv.parse', `the CSV cannot be read: ${err.message ?? String(e)}`, {
    location: `line ${err.lines ?? 1}`, hint: 'check quoting and the delimiter', cause: e,
  });
}

/**
 * Parses a whole CSV text; bad rows land in `errors` and the rest still parse.
 * @example parseCsv('gtin,qty\n09506000134352,2\n').rows // [{ gtin: '09506000134352', qty: '2' }]
 */
export function parseCsv<T = Record<string, string>>(text: string | Uint8Array, opts: CsvOptions<T> = {}): CsvTable<T> {
  const errors: LoomError[] = [];
  let records: InfoRecord[];
  const input = typeof text === 'string' ? text : Buffer.from(text);
  try {
    records = parseSync(input, parserOptions(opts, (e) => errors.push(skipError(e)))) as InfoRecord[];
  } catch (e) {
    throw fatal(e);
  }
  const builder = new RowBuilder<T>(opts);
  const table: CsvTable<T> = { columns: [], rows: [], lines: [], errors };
  for (const r of records) {
    const out = builder.accept(r.record, r.info, r.raw);
    if (!out) continue;
    if (out.ok) { table.rows.push(out.record); table.lines.push(out.line); } else errors.push(out.error);
  }
  table.columns = builder.columns ?? [];
  errors.sort((a, b) => lineOf(a) - lineOf(b));
  return table;
}

function lineOf(e: LoomError): number {
  return Number(/line (\d+)/.exec(e.location ?? '')?.[1] ?? 0);
}

/**
 * Streams a CSV file row by row with bounded memory (backpressure from the async iterator).
 * @example for await (const row of streamCsv(createReadStream('batch.csv'))) if (row.ok) use(row.record);
 */
export async function* streamCsv<T = Record<string, string>>(readable: Readable | AsyncIterable<string | Uint8Array>, opts: CsvOptions<T> = {}): AsyncGenerator<CsvRowResult<T>> {
  const pending: LoomError[] = [];
  const parser = parseStream(parserOptions(opts, (e) => pending.push(skipError(e))));
  const builder = new RowBuilder<T>(opts);
  // pipeline gives backpressure, and tears the source down when the consumer stops early
  const source = readable instanceof Readable ? readable : Readable.from(readable);
  pipeline(source, parser, () => undefined);
  const drain = function* (): Generator<CsvRowResult<T>> {
    while (pending.length > 0) {
      const error = pending.shift();
      if (error) yield { ok: false, line: lineOf(error), error };
    }
  };
  try {
    for await (const r of parser as AsyncIterable<InfoRecord>) {
      yield* drain();
      const out = builder.accept(r.record, r.info, r.raw);
      if (out) yield out;
    }
  } catch (e) {
    throw fatal(e);
  }
  yield* drain();
}
