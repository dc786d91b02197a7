import { describe, expect, it } from 'vitest';
import { ExpiringCache } from './cache.js';

describe('ExpiringCache', () => {
  it('answers until the ttl has passed, then forgets', () => {
    let now = 0;
    const cache = new ExpiringCache<string>({ ttlMs: 100, maxEntries: 10, now: () => now });
    cache.set('a', 'A');
    now = 99;
    expect(cache.get('a')).toBe('A');
    now = 100;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the least recently used entry when full; a hit counts as a use', () => {
    const cache = new ExpiringCache<number>({ ttlMs: 1_000, maxEntries: 2, now: () => 0 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
