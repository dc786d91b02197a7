/**
 * Seeded pseudo-random numbers (mulberry32): the same seed replays the same hospital day.
 *
 * @example
 * const rng = createRng(7); rng.next(); rng.int(1, 6); rng.pick(['a', 'b']);
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Random uppercase alphanumeric id of the given length. */
  code(length: number): string;
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    // mulberry32 (Tommy Ettinger, public domain): 32-bit state, good enough for simulation
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T,
    chance: (p: number) => next() < p,
    code: (length: number) => Array.from({ length }, () => ALNUM[int(0, ALNUM.length - 1)]).join(''),
  };
}
