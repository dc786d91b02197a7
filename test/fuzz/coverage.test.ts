import { describe, expect, it } from 'vitest';
import { bucketOf, CoverageMap, effectiveCount, type CoverageRange, type ScriptCoverage } from './coverage.js';

const r = (startOffset: number, endOffset: number, count: number): CoverageRange => ({ startOffset, endOffset, count });
const script = (url: string, ...functions: CoverageRange[][]): ScriptCoverage => ({
  scriptId: '1', url, functions: functions.map((ranges) => ({ functionName: 'f', ranges, isBlockCoverage: true })),
});
const CODEC = 'file:///repo/src/codecs/x12/parse.ts?tsx-namespace=1';
const name = (url: string): string | undefined => (url.includes('/src/codecs/') ? url.split('/src/codecs/')[1].split('?')[0] : undefined);

describe('fuzz coverage bookkeeping', () => {
  it('buckets hit counts like AFL', () => {
    expect([0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 127, 128, 10_000].map(bucketOf)).toEqual([0, 1, 2, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8]);
  });

  it('gives a block the count of the innermost reported range around it', () => {
    const ranges = [r(0, 100, 5), r(10, 50, 2), r(20, 30, 0)];
    expect(effectiveCount(ranges, 20, 30)).toBe(0);
    expect(effectiveCount(ranges, 12, 18)).toBe(2);
    expect(effectiveCount(ranges, 60, 70)).toBe(5);
    expect(effectiveCount(ranges, 200, 300)).toBe(0);
  });

  it('counts only the named scripts and called functions', () => {
    const map = new CoverageMap(name);
    expect(map.features([script('node:internal/errors', [r(0, 10, 3)]), script('file:///repo/test/fuzz/harness.ts', [r(0, 10, 1)])])).toEqual([]);
    expect(map.features([script(CODEC, [r(0, 10, 0)])])).toEqual([]);
    expect(map.features([script(CODEC, [r(0, 10, 1)])])).toHaveLength(1);
  });

  it('learns blocks V8 merged away, so an input that runs one is new', () => {
    const map = new CoverageMap(name);
    // input A: the function runs once, its `if` block (20-30) does not
    const a = map.features([script(CODEC, [r(0, 100, 1), r(20, 30, 0)])]);
    expect(map.commit(a)).toBe(1);
    expect(map.blocks).toBe(1);
    expect(map.knownBlocks).toBe(2);
    // input B: the block runs as often as the function, so V8 reports only the function range
    const b = map.features([script(CODEC, [r(0, 100, 1)])]);
    expect(b).toHaveLength(2);
    expect(map.isNovel(b)).toBe(true);
    expect(map.commit(b)).toBe(1);
    expect(map.blocks).toBe(2);
    // the same again is nothing new
    expect(map.isNovel(map.features([script(CODEC, [r(0, 100, 1)])]))).toBe(false);
  });

  it('a new hit-count bucket is new, a count in a known bucket is not', () => {
    const map = new CoverageMap(name);
    map.commit(map.features([script(CODEC, [r(0, 100, 1), r(20, 30, 5)])]));
    expect(map.isNovel(map.features([script(CODEC, [r(0, 100, 1), r(20, 30, 6)])]))).toBe(false); // 5 and 6: bucket 4-7
    const more = map.features([script(CODEC, [r(0, 100, 1), r(20, 30, 9)])]);
    expect(map.isNovel(more)).toBe(true);
    expect(map.commit(more)).toBe(1);
    expect(map.blocks).toBe(2); // same blocks, one more feature
    expect(map.featureCount).toBe(3);
  });

  it('tells functions of different scripts and offsets apart', () => {
    const map = new CoverageMap(name);
    map.commit(map.features([script(CODEC, [r(0, 10, 1)])]));
    expect(map.isNovel(map.features([script(CODEC, [r(20, 40, 1)])]))).toBe(true);
    expect(map.isNovel(map.features([script('file:///repo/src/codecs/hl7v2/parse.ts', [r(0, 10, 1)])]))).toBe(true);
  });
});
