/**
 * A bounded cache whose entries expire `ttlMs` after they were stored; the least recently used
 * entry goes first when it is full (a Map keeps insertion order, so a hit re-inserts).
 *
 * @example
 * const cache = new ExpiringCache<string>({ ttlMs: 60_000, maxEntries: 1000 });
 * cache.set('Supplier/VENDOR-A', body); cache.get('Supplier/VENDOR-A'); // body, for a minute
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number; now?: () => number }) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
