import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, nextRecord, rowHash } from './chain.js';
import type { AuditEntry, AuditRecord, AuditStore, ChainHead } from './types.js';
import { verifyChain } from './verify.js';

/** Rows in an array, sorted by seq on every read, as a table would return them. */
class ArrayStore implements Pick<AuditStore, 'scan' | 'findByHash'> {
  constructor(public rows: AuditRecord[]) {}
  scan(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    return Promise.resolve([...this.rows].sort((a, b) => a.seq - b.seq).filter((r) => r.seq > afterSeq).slice(0, limit));
  }
  findByHash(hash: string): Promise<AuditRecord | undefined> {
    return Promise.resolve(this.rows.find((r) => r.hash === hash));
  }
}

function chainOf(entries: AuditEntry[]): AuditRecord[] {
  const rows: AuditRecord[] = [];
  let head: ChainHead | undefined;
  entries.forEach((entry, i) => {
    const row = nextRecord(head, entry, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString());
    rows.push(row);
    head = { seq: row.seq, hash: row.hash };
  });
  return rows;
}

const entry = fc.record({
  actor: fc.string({ minLength: 1, maxLength: 8 }),
  action: fc.constantFrom('channel.pause', 'message.replay', 'config.reload', 'crosswalk.publish'),
  target: fc.string({ minLength: 1, maxLength: 12 }),
  detail: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
});
// A chain of at least 3 rows and a row k with a successor (1 ≤ k < n).
const chainAndRow = fc.array(entry, { minLength: 3, maxLength: 25 }).chain((entries) => fc.tuple(fc.constant(chainOf(entries)), fc.integer({ min: 1, max: entries.length - 1 })));

const sample = (): AuditRecord[] => chainOf(['a', 'b', 'c', 'd', 'e'].map((t) => ({ actor: 'ana', action: 'channel.pause', target: t, detail: { n: t } })));

describe('audit chain', () => {
  it('canonical JSON sorts keys at every depth, so key order does not change a hash', () => {
    expect(canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] })).toBe('{"a":[true,{"c":"x","d":null}],"b":1}');
    const base = { seq: 1, at: 'now', actor: 'a', action: 'b', target: 'c', prevHash: GENESIS_HASH };
    expect(rowHash({ ...base, detail: { x: 1, y: 2 } })).toBe(rowHash({ ...base, detail: { y: 2, x: 1 } }));
    expect(rowHash({ ...base, detail: { x: 1 } })).not.toBe(rowHash({ ...base, detail: { x: 2 } }));
  });

  it('row 1 links to the genesis hash and each row to the previous one', () => {
    const rows = sample();
    expect(rows[0]?.prevHash).toBe(GENESIS_HASH);
    rows.slice(1).forEach((row, i) => expect(row.prevHash).toBe(rows[i]?.hash));
  });

  it('an untouched chain verifies, with its head', async () => {
    await fc.assert(fc.asyncProperty(fc.array(entry, { maxLength: 30 }), async (entries) => {
      const rows = chainOf(entries);
      const result = await verifyChain(new ArrayStore(rows));
      expect(result).toEqual(rows.length === 0 ? { ok: true, rows: 0 } : { ok: true, rows: rows.length, head: { seq: rows.length, hash: rows.at(-1)?.hash } });
    }));
  });

  it('an edited row is named, whatever field changed', async () => {
    await fc.assert(fc.asyncProperty(chainAndRow, fc.constantFrom('at', 'actor', 'action', 'target', 'detail'), async ([rows, k], field) => {
      const row = rows[k - 1] as AuditRecord;
      const edited = field === 'detail' ? { ...row, detail: { ...row.detail, forged: true } } : { ...row, [field]: `${row[field]}!` };
      const result = await verifyChain(new ArrayStore(rows.map((r) => (r === row ? edited : r))));
      expect(result).toMatchObject({ ok: false, seq: k, problem: 'edited' });
    }));
  });

  it('an edited row whose hash was recomputed is named through its successor', async () => {
    await fc.assert(fc.asyncProperty(chainAndRow, async ([rows, k]) => {
      const row = rows[k - 1] as AuditRecord;
      const forged = { ...row, actor: 'mallory' };
      const rehashed = { ...forged, hash: rowHash(forged) };
      const result = await verifyChain(new ArrayStore(rows.map((r) => (r === row ? rehashed : r))));
      expect(result).toMatchObject({ ok: false, seq: k, problem: 'edited' });
    }));
  });

  it('a deleted row is named, also when the rows after it were renumbered', async () => {
    await fc.assert(fc.asyncProperty(chainAndRow, async ([rows, k]) => {
      const gap = rows.filter((r) => r.seq !== k);
      expect(await verifyChain(new ArrayStore(gap))).toMatchObject({ ok: false, seq: k, problem: 'deleted' });
      const renumbered = gap.map((r) => (r.seq > k ? { ...r, seq: r.seq - 1 } : r));
      expect(await verifyChain(new ArrayStore(renumbered))).toMatchObject({ ok: false, seq: k, problem: 'deleted' });
    }));
  });

  it('two swapped rows are named as reordered at the first of them', async () => {
    await fc.assert(fc.asyncProperty(chainAndRow, async ([rows, k]) => {
      const swapped = rows.map((r) => (r.seq === k ? { ...(rows[k] as AuditRecord), seq: k } : r.seq === k + 1 ? { ...(rows[k - 1] as AuditRecord), seq: k + 1 } : r));
      expect(await verifyChain(new ArrayStore(swapped))).toMatchObject({ ok: false, seq: k, problem: 'reordered' });
    }));
  });

  it('a chain longer than one page verifies across pages', async () => {
    const rows = chainOf(Array.from({ length: 2345 }, (_, i) => ({ actor: 'a', action: 'x', target: String(i) })));
    expect(await verifyChain(new ArrayStore(rows))).toMatchObject({ ok: true, rows: 2345 });
    const cut = rows.filter((r) => r.seq !== 2001);
    expect(await verifyChain(new ArrayStore(cut))).toMatchObject({ ok: false, seq: 2001, problem: 'deleted' });
  });
});

