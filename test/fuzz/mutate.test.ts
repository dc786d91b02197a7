import { describe, expect, it } from 'vitest';
import { applyMutation, dictionary, MUTATIONS, mutate, occurrences, Rng } from './mutate.js';

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array): string => String.fromCharCode(...b);
const DICT = dictionary(['|', '^', '\r'], ['PID|', 'OBX|']);
const MSG = bytes('MSH|^~\\&|A|B\rPID|1||42^^^H\r');

describe('fuzz mutator', () => {
  it('Rng replays from its seed and stays in range', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const seqA = Array.from({ length: 50 }, () => a.below(10));
    expect(Array.from({ length: 50 }, () => b.below(10))).toEqual(seqA);
    expect(seqA.every((n) => n >= 0 && n < 10)).toBe(true);
    expect(new Set(seqA).size).toBeGreaterThan(5);
    expect(Array.from({ length: 50 }, () => new Rng(8).below(10))).not.toEqual(seqA);
  });

  it('finds token occurrences', () => {
    expect(occurrences(bytes('a|b||c'), bytes('|'))).toEqual([1, 3, 4]);
    expect(occurrences(bytes('a|b'), bytes('||'))).toEqual([]);
  });

  it('flipBit changes exactly one bit and never the input array', () => {
    const out = applyMutation('flipBit', MSG, new Rng(1), DICT, MSG);
    expect(out).not.toBe(MSG);
    let bits = 0;
    for (let i = 0; i < MSG.length; i++) for (let x = MSG[i] ^ out[i]; x; x >>= 1) bits += x & 1;
    expect(bits).toBe(1);
    expect(text(MSG)).toBe('MSH|^~\\&|A|B\rPID|1||42^^^H\r');
  });

  it('deleteRange shortens, duplicateRange repeats a slice', () => {
    const rng = new Rng(3);
    expect(applyMutation('deleteRange', MSG, rng, DICT, MSG).length).toBeLessThan(MSG.length);
    const dup = applyMutation('duplicateRange', MSG, rng, DICT, MSG);
    expect(dup.length).toBeGreaterThan(MSG.length);
    const extra = dup.length - MSG.length;
    // the result is the input with one slice of it inserted right after itself
    const found = Array.from({ length: MSG.length + 1 }, (_, e) => e).some((e) =>
      e >= extra && text(dup) === text(MSG.subarray(0, e)) + text(MSG.subarray(e - extra, e)) + text(MSG.subarray(e)));
    expect(found).toBe(true);
  });

  it('splice joins a head of one entry to a tail of another', () => {
    const other = bytes('ZZZZZZZZ');
    for (let seed = 0; seed < 20; seed++) {
      const out = text(applyMutation('splice', MSG, new Rng(seed), DICT, other));
      const z = out.indexOf('Z');
      const head = z === -1 ? out : out.slice(0, z);
      expect(text(MSG).startsWith(head)).toBe(true);
      expect(/^Z*$/.test(z === -1 ? '' : out.slice(z))).toBe(true);
    }
  });

  it('grammar mutations work on delimiters and tokens', () => {
    const count = (b: Uint8Array, d: string): number => occurrences(b, bytes(d), 1e6).length;
    let grew = 0;
    for (let seed = 0; seed < 30; seed++) {
      const out = applyMutation('duplicateDelimiter', MSG, new Rng(seed), DICT, MSG);
      const more = ['|', '^', '\r'].filter((d) => count(out, d) > count(MSG, d));
      expect(more.length).toBe(1); // exactly one delimiter kind was repeated
      if (out.length - MSG.length > 1) grew++;
    }
    expect(grew).toBeGreaterThan(0); // sometimes several copies
    const inserted = applyMutation('insertToken', MSG, new Rng(5), DICT, MSG);
    const added = inserted.length - MSG.length;
    expect([1, 4]).toContain(added);
    const swapped = text(applyMutation('swapToken', bytes('A|B|C'), new Rng(2), dictionary(['|', '^'], []), MSG));
    expect(swapped).toMatch(/^A[|^]B[|^]C$/);
  });

  it('number rewrites a run of digits', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) seen.add(text(applyMutation('number', bytes('SE*12*0001~'), new Rng(seed), DICT, MSG)));
    for (const s of seen) expect(s).toMatch(/^SE\*\d+\*\d+~$/);
    expect(seen.has('SE*13*0001~') || seen.has('SE*12*2~') || seen.has('SE*11*0001~')).toBe(true);
    expect(seen.size).toBeGreaterThan(4);
  });

  it('every mutation copes with an empty input', () => {
    for (const name of MUTATIONS) expect(applyMutation(name, new Uint8Array(0), new Rng(1), DICT, new Uint8Array(0))).toBeInstanceOf(Uint8Array);
  });

  it('mutate is deterministic per seed, caps the length and varies its output', () => {
    const corpus = [MSG, bytes('MSH|^~\\&|X\rOBX|1|TX|||a\r')];
    const run = (seed: number): string[] => {
      const rng = new Rng(seed);
      return Array.from({ length: 200 }, () => text(mutate(MSG, rng, DICT, corpus, 64)));
    };
    const a = run(11);
    expect(run(11)).toEqual(a);
    expect(a.every((s) => s.length <= 64)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(150);
    expect(a.filter((s) => s === text(MSG)).length).toBeLessThan(20);
  });
});
