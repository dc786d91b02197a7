// X12 850 parse + envelope validation: Loom's parseX12 + validateX12 vs node-x12 X12Parser (strict), same run.
// Run: npx tsx bench/x12-parse.bench.ts   (or npm run bench -- x12-parse)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { X12Parser } from 'node-x12';
import { build850, checkX12Envelope, parseX12, serializeX12, validateX12 } from '../src/codecs/x12/index.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** A purchase order with `n` lines (PO1 + PID each), written by our builder with LF after each terminator. */
function po(n: number): string {
  const lines = Array.from({ length: n }, (_, i) => ({
    quantity: i + 1, uom: 'EA', unitPrice: 3.25 + i, gtin: `0031234567${String(i).padStart(4, '0')}`, vendorPartId: `VP-${i}`, description: `ITEM ${i}`,
  }));
  return serializeX12(build850({ poNumber: 'PO-BENCH', date: '2026-01-31', shipTo: { name: 'MAIN HOSPITAL', id: 'H1', address: '1 WAY', city: 'TOWN', state: 'OH', postalCode: '44139' }, lines },
    { senderId: 'HOSPITAL', receiverId: 'VENDOR', controlNumber: 1, timestamp: '2026-01-31T12:00:00Z', lineBreaks: true }));
}

const cases = [
  { name: '850, 2 lines (hand-made fixture)', text: readFileSync(path.join(root, 'test/fixtures/x12/po-850-accepted.edi'), 'utf8') },
  { name: '850, 10 lines', text: po(10) },
  { name: '850, 200 lines', text: po(200) },
];

// Each side returns a number derived from its result so the work cannot be optimised away.
const loomEnvelope = (t: string): number => {
  const ic = parseX12(t);
  if (checkX12Envelope(ic).errors.length > 0) throw new Error('bench input invalid');
  return ic.segments.length;
};
const loomFull = (t: string): number => {
  const ic = parseX12(t);
  const report = validateX12(ic);
  if (report.errors.length > 0) throw new Error(`bench input invalid: ${report.errors[0].message}`);
  return ic.segments.length;
};
const peer = (t: string): number => {
  const ic = new X12Parser(true).parse(t) as unknown as { functionalGroups: { transactions: { segments: unknown[] }[] }[] };
  return ic.functionalGroups[0].transactions[0].segments.length;
};

/**
 * Interchanges per CPU-second of `fn` over about `ms` of CPU time. CPU time rather than wall time
 * because the machine is shared: other processes stretch wall time but not our own CPU time.
 */
function measure(fn: (t: string) => number, text: string, ms: number): number {
  let sink = 0;
  for (let i = 0; i < 2_000; i++) sink += fn(text);
  let n = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < ms * 1000) {
    for (let i = 0; i < 100; i++) sink += fn(text);
    n += 100;
    const u = process.cpuUsage(start);
    used = u.user + u.system;
  }
  if (sink === 42) console.log('sink');
  return n / (used / 1e6);
}

/** Best of `rounds` alternating measurements, so a burst of load hits both sides alike. */
function compare(text: string, rounds: number): [number, number, number] {
  const best = [0, 0, 0];
  for (let r = 0; r < rounds; r++) {
    best[0] = Math.max(best[0], measure(loomEnvelope, text, 300));
    best[1] = Math.max(best[1], measure(loomFull, text, 300));
    best[2] = Math.max(best[2], measure(peer, text, 300));
  }
  return [best[0], best[1], best[2]];
}

const machine = machineInfo();
console.log(`Machine: ${describeMachine(machine)}`);
const rows: string[] = [];
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
for (const c of cases) {
  const [a, f, b] = compare(c.text, 3);
  const row = `| ${c.name} | ${c.text.length} | ${fmt(a)} | ${fmt(f)} | ${fmt(b)} | ${(a / b).toFixed(1)}x | ${(f / b).toFixed(1)}x |`;
  console.log(row);
  rows.push(row);
}
const table = [
  '| interchange | bytes | Loom parse + envelope /s | Loom parse + full validation /s | node-x12 /s | ratio envelope | ratio full |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows,
  '',
  'Interchanges per CPU-second (process.cpuUsage; the 2-core machine is shared, so wall time is not comparable), best of 3 alternating rounds of 300 ms CPU per side after 2,000 warm-up iterations. Loom envelope: `parseX12` + `checkX12Envelope` (SE01/SE02, GE01/GE02, IEA01/IEA02); Loom full: `parseX12` + `validateX12` (envelope + 850 table, mandatory elements); peer: node-x12 1.7.1 `new X12Parser(true).parse` (strict mode: ISA length and trailer checks). Target: >= 3x the peer for parse + envelope validation.',
].join('\n');
recordResult('X12 850 parse + envelope validation (x12-parse)', machine, table);
