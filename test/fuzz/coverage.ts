// Coverage bookkeeping for the fuzzer, from V8 block coverage (Profiler.takePreciseCoverage with
// callCount + detailed). A feature is (block, AFL hit-count bucket); an input is kept when it shows
// a feature never seen before.
//
// V8 reports a block only where its count differs from the enclosing range (nested ranges with the
// parent's count are merged away, uncovered ranges inside uncovered ones dropped). So the set of
// blocks of a function is learned over time (every range ever reported), and a known block that is
// absent from one report takes the count of the innermost reported range around it.

export interface CoverageRange { startOffset: number; endOffset: number; count: number }
export interface FunctionCoverage { functionName: string; ranges: CoverageRange[]; isBlockCoverage: boolean }
export interface ScriptCoverage { scriptId: string; url: string; functions: FunctionCoverage[] }

/** AFL hit-count bucket: 0 for 0, then 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+ as 1..8. */
export function bucketOf(count: number): number {
  if (count <= 0) return 0;
  if (count <= 3) return count;
  if (count <= 7) return 4;
  if (count <= 15) return 5;
  if (count <= 31) return 6;
  if (count <= 127) return 7;
  return 8;
}

interface KnownRange { start: number; end: number; id: number }

export class CoverageMap {
  private readonly ids = new Map<string, number>();
  private readonly functions = new Map<string, KnownRange[]>();
  private readonly seen = new Set<number>();
  private readonly covered = new Set<number>();
  private readonly names = new Map<string, string | undefined>();

  /** `scriptName(url)` names a script to count (e.g. `src/codecs/x12/parse.ts`) or returns undefined to skip it. */
  constructor(private readonly scriptName: (url: string) => string | undefined) {}

  /** Features (block id * 16 + bucket) of one observation; learns blocks not seen before. */
  features(scripts: readonly ScriptCoverage[]): number[] {
    const out: number[] = [];
    for (const script of scripts) {
      let name = this.names.get(script.url);
      if (!this.names.has(script.url)) {
        name = this.scriptName(script.url);
        this.names.set(script.url, name);
      }
      if (name === undefined) continue;
      for (const fn of script.functions) {
        const ranges = fn.ranges;
        if (ranges.length === 0 || ranges[0].count === 0) continue; // not called: nothing covered
        const key = `${name}:${ranges[0].startOffset}`;
        let known = this.functions.get(key);
        if (!known) this.functions.set(key, (known = []));
        for (const r of ranges) {
          const rk = `${name}:${r.startOffset}-${r.endOffset}`;
          if (!this.ids.has(rk)) {
            const id = this.ids.size;
            this.ids.set(rk, id);
            known.push({ start: r.startOffset, end: r.endOffset, id });
          }
        }
        for (const k of known) {
          const count = effectiveCount(ranges, k.start, k.end);
          if (count > 0) out.push(k.id * 16 + bucketOf(count));
        }
      }
    }
    return out;
  }

  /** True when any feature is new. */
  isNovel(features: readonly number[]): boolean {
    for (const f of features) if (!this.seen.has(f)) return true;
    return false;
  }

  /** Record features; returns how many were new. */
  commit(features: readonly number[]): number {
    let added = 0;
    for (const f of features) {
      if (this.seen.has(f)) continue;
      this.seen.add(f);
      this.covered.add(f >> 4);
      added++;
    }
    return added;
  }

  /** Blocks executed at least once by a committed observation. */
  get blocks(): number {
    return this.covered.size;
  }

  /** (block, bucket) pairs seen. */
  get featureCount(): number {
    return this.seen.size;
  }

  /** Blocks learned so far, covered or not. */
  get knownBlocks(): number {
    return this.ids.size;
  }
}

/** Count of [start, end): the exact reported range, else the innermost reported range containing it. */
export function effectiveCount(ranges: readonly CoverageRange[], start: number, end: number): number {
  let best: CoverageRange | undefined;
  for (const r of ranges) {
    if (r.startOffset <= start && end <= r.endOffset && (!best || r.endOffset - r.startOffset <= best.endOffset - best.startOffset)) best = r;
  }
  return best ? best.count : 0;
}
