import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isValidGtin } from '../udi/index.js';
import { parseCsv, streamCsv } from './index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const file = path.join(repoRoot, 'test/fixtures/csv/goods-receipts.csv');

const Receipt = z.object({
  po_number: z.string().min(1),
  line: z.coerce.number().int().positive(),
  gtin: z.string().refine(isValidGtin, 'GTIN check digit is wrong'),
  lot: z.string().min(1),
  serial: z.string(),
  expiry: z.iso.date(),
  qty: z.coerce.number().int().positive(),
  received_at: z.iso.datetime(),
});

describe('goods receipts fixture', () => {
  it('accepts good rows and reports each bad one on its own line', () => {
    const t = parseCsv(readFileSync(file, 'utf8'), { schema: Receipt });
    expect(t.rows.map((r) => `${r.po_number}/${r.line}`)).toEqual(['PO-1001/1', 'PO-1001/2', 'PO-1002/2']);
    expect(t.rows[2]?.serial).toBe('SN-2\ncontinued');
    expect(t.errors.map((e) => e.location)).toEqual(['line 4 column gtin', 'line 7', 'line 8 column qty']);
  });

  it('streams the same outcome from a file', async () => {
    const seen: string[] = [];
    for await (const r of streamCsv(createReadStream(file), { schema: Receipt })) seen.push(r.ok ? `ok ${r.line}` : `err ${r.line}`);
    expect(seen).toEqual(['ok 2', 'ok 3', 'err 4', 'ok 5', 'err 7', 'err 8']);
  });
});
