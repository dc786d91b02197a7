// Input mutations for the coverage-guided fuzzer: byte-level havoc (AFL's bit/byte flips, range
// insert/delete/duplicate, splice) plus grammar-aware edits driven by a per-target dictionary of
// delimiters and keywords (HL7 |^~\&\r, X12 * : ~, MLLP 0x0B/0x1C0D, GS1 AIs). Pure and seeded so
// a run can be replayed.

/** Small seeded PRNG (mulberry32): the fuzzer's runs replay from a seed. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Next uint32. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Integer in [0, n); 0 when n <= 0. */
  below(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }
}

/** Tokens a target's grammar is built from: inserting or duplicating them reaches deeper states than random bytes. */
export interface Dictionary {
  /** Delimiters and framing bytes: duplicated, swapped and inserted. */
  delimiters: Uint8Array[];
  /** Keywords (segment names, AIs, versions): inserted and swapped. */
  tokens: Uint8Array[];
}

const enc = new TextEncoder();
/** Build a dictionary from strings (latin1 bytes for \x.. escapes). */
export function dictionary(delimiters: string[], tokens: string[]): Dictionary {
  const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
  return { delimiters: delimiters.map(bytes), tokens: tokens.map((t) => (/^[\x00-\x7f]*$/.test(t) ? enc.encode(t) : bytes(t))) };
}

const INTERESTING = [0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1d, 0x20, 0x7f, 0x80, 0xc3, 0xef, 0xfe, 0xff];

export type MutationName =
  | 'flipBit' | 'setByte' | 'insertRandom' | 'deleteRange' | 'duplicateRange' | 'copyRange'
  | 'splice' | 'insertToken' | 'duplicateDelimiter' | 'swapToken' | 'number' | 'truncate';
export const MUTATIONS: readonly MutationName[] = [
  'flipBit', 'setByte', 'insertRandom', 'deleteRange', 'duplicateRange', 'copyRange',
  'splice', 'insertToken', 'duplicateDelimiter', 'swapToken', 'number', 'truncate',
];

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Positions where `needle` occurs in `hay` (at most `limit`). */
export function occurrences(hay: Uint8Array, needle: Uint8Array, limit = 256): number[] {
  const at: number[] = [];
  if (needle.length === 0) return at;
  outer: for (let i = 0; i + needle.length <= hay.length && at.length < limit; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    at.push(i);
  }
  return at;
}

/** A range [start, end) of `data` of 1..max bytes (empty when data is empty). */
function range(rng: Rng, length: number, max = 32): [number, number] {
  if (length === 0) return [0, 0];
  const start = rng.below(length);
  return [start, Math.min(length, start + 1 + rng.below(max))];
}

/** Apply one named mutation. `other` is a second corpus entry (for splice). Never returns the same array object. */
export function applyMutation(name: MutationName, data: Uint8Array, rng: Rng, dict: Dictionary, other: Uint8Array): Uint8Array {
  const n = data.length;
  switch (name) {
    case 'flipBit': {
      if (n === 0) return Uint8Array.of(rng.below(256));
      const out = data.slice();
      out[rng.below(n)] ^= 1 << rng.below(8);
      return out;
    }
    case 'setByte': {
      if (n === 0) return Uint8Array.of(rng.pick(INTERESTING));
      const out = data.slice();
      out[rng.below(n)] = rng.chance(0.5) ? rng.pick(INTERESTING) : rng.below(256);
      return out;
    }
    case 'insertRandom': {
      const at = rng.below(n + 1);
      const bytes = Uint8Array.from({ length: 1 + rng.below(8) }, () => (rng.chance(0.7) ? 0x20 + rng.below(95) : rng.below(256)));
      return concat(data.subarray(0, at), bytes, data.subarray(at));
    }
    case 'deleteRange': {
      const [s, e] = range(rng, n);
      return concat(data.subarray(0, s), data.subarray(e));
    }
    case 'duplicateRange': {
      const [s, e] = range(rng, n, 64);
      return concat(data.subarray(0, e), data.subarray(s, e), data.subarray(e));
    }
    case 'copyRange': {
      // overwrite one place with bytes from another: moves fields between segments
      const [s, e] = range(rng, n, 64);
      const to = rng.below(n + 1);
      return concat(data.subarray(0, to), data.subarray(s, e), data.subarray(Math.min(n, to + (e - s))));
    }
    case 'splice': {
      // head of this entry + tail of another: crosses message types and envelopes
      const cut = rng.below(n + 1);
      const from = rng.below(other.length + 1);
      return concat(data.subarray(0, cut), other.subarray(from));
    }
    case 'insertToken': {
      const pool = rng.chance(0.5) ? dict.tokens : dict.delimiters;
      const at = rng.below(n + 1);
      return concat(data.subarray(0, at), pool.length > 0 ? rng.pick(pool) : new Uint8Array(0), data.subarray(at));
    }
    case 'duplicateDelimiter': {
      // repeat an existing delimiter in place (empty fields, empty repetitions, double framing)
      if (dict.delimiters.length === 0) return applyMutation('duplicateRange', data, rng, dict, other);
      const d = rng.pick(dict.delimiters);
      const at = occurrences(data, d);
      if (at.length === 0) return concat(data, d);
      const i = rng.pick(at);
      const times = 1 + rng.below(rng.chance(0.1) ? 64 : 3);
      const copies = concat(...Array.from({ length: times }, () => d));
      return concat(data.subarray(0, i), copies, data.subarray(i));
    }
    case 'swapToken': {
      // replace one occurrence of a grammar token with another (a delimiter for a delimiter, a keyword for a keyword)
      let pool = rng.chance(0.5) ? dict.delimiters : dict.tokens;
      if (pool.length === 0) pool = pool === dict.tokens ? dict.delimiters : dict.tokens;
      if (pool.length === 0) return applyMutation('flipBit', data, rng, dict, other);
      const from = rng.pick(pool);
      const at = occurrences(data, from);
      if (at.length === 0) return applyMutation('insertToken', data, rng, dict, other);
      const i = rng.pick(at);
      return concat(data.subarray(0, i), rng.pick(pool), data.subarray(i + from.length));
    }
    case 'number': {
      // rewrite a run of ASCII digits: counts (SE01, IEA01), lengths, dates, check digits
      const starts: number[] = [];
      for (let i = 0; i < n && starts.length < 256; i++) if (data[i] >= 0x30 && data[i] <= 0x39 && (i === 0 || data[i - 1] < 0x30 || data[i - 1] > 0x39)) starts.push(i);
      if (starts.length === 0) return applyMutation('insertRandom', data, rng, dict, other);
      const s = rng.pick(starts);
      let e = s;
      while (e < n && data[e] >= 0x30 && data[e] <= 0x39) e++;
      const old = Number(new TextDecoder().decode(data.subarray(s, e)));
      const choices = [old + 1, old - 1, 0, 1, 2 ** 31, 2 ** 53, rng.below(100), old * 10, 99999999999];
      const value = enc.encode(String(Math.abs(rng.pick(choices))));
      return concat(data.subarray(0, s), value, data.subarray(e));
    }
    case 'truncate':
      return data.slice(0, rng.below(n + 1));
  }
}

/** A havoc stack: 1..8 mutations, result capped at `maxLength` bytes. */
export function mutate(data: Uint8Array, rng: Rng, dict: Dictionary, corpus: readonly Uint8Array[], maxLength: number): Uint8Array {
  let out = data;
  const rounds = 1 << rng.below(4);
  for (let i = 0; i < rounds; i++) {
    const other = corpus.length > 0 ? rng.pick(corpus) : data;
    out = applyMutation(rng.pick(MUTATIONS), out, rng, dict, other);
    if (out.length > maxLength) out = out.slice(0, maxLength);
  }
  return out === data ? data.slice() : out;
}
