import { LoomError } from '../../kernel/errors.js';
import type { FormatCodec, ParseSummary } from '../format.js';
import { build997, build999, buildTa1 } from './ack.js';
import { parseX12 } from './parse.js';
import { getX12 } from './path.js';
import { serializeX12 } from './serialize.js';
import { x12ToJson } from './to-json.js';
import type { X12Interchange, X12TransactionSet } from './types.js';
import { analyzeX12, validateX12 } from './validate.js';

function allSets(ic: X12Interchange): X12TransactionSet[] {
  const out: X12TransactionSet[] = [];
  for (let i: X12Interchange | undefined = ic; i; i = i.next) for (const g of i.groups) out.push(...g.sets);
  return out;
}

/**
 * The X12 face for the CLI and the engine: detect `ISA`, parse, validate, summarize, get with a
 * 1-based `transaction` option, JSON tree and acknowledgement (TA1 for a broken envelope, else
 * 999 for 005010 and 997 otherwise).
 *
 * @example
 * x12Codec.get(x12Codec.parse(text), 'PO1[2]02', { transaction: 1 });
 */
export const x12Codec: FormatCodec<X12Interchange> = {
  format: 'x12',
  detect(text: string): boolean {
    const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    return t.startsWith('ISA') && t.length > 3 && !/[A-Za-z0-9\s]/.test(t[3]);
  },
  parse: parseX12,
  validate: validateX12,
  summarize(ic: X12Interchange): ParseSummary {
    const controlIds: string[] = [];
    let groups = 0;
    let segments = 0;
    for (let i: X12Interchange | undefined = ic; i; i = i.next) {
      controlIds.push(i.controlNumber);
      segments += i.segments.length;
      for (const g of i.groups) {
        groups++;
        controlIds.push(g.controlNumber, ...g.sets.map((s) => s.controlNumber));
      }
    }
    const sets = allSets(ic);
    return {
      format: 'x12',
      types: [...new Set(sets.map((s) => s.type))],
      controlIds,
      counts: { groups, transactionSets: sets.length, segments },
      warnings: validateX12(ic).warnings,
    };
  },
  get(ic: X12Interchange, path: string, options = {}): string | undefined {
    const sets = allSets(ic);
    const n = options.transaction ?? 1;
    if (!Number.isInteger(n) || n < 1) {
      throw new LoomError('x12.path.transaction', `transaction ${n} is not a 1-based number`, { hint: `use 1..${sets.length}` });
    }
    const set = sets[n - 1];
    return set ? getX12(set, path) : undefined;
  },
  toJson: x12ToJson,
  ack(ic: X12Interchange, options = {}): string {
    const o = { controlNumber: options.controlId ?? '1', timestamp: options.timestamp ?? new Date().toISOString() };
    if (analyzeX12(ic).envelope.length > 0) return serializeX12(buildTa1(ic, undefined, o));
    const v = ic.groups[0]?.version ?? '';
    return serializeX12(v.startsWith('005010') ? build999(ic, o) : build997(ic, o));
  },
};
