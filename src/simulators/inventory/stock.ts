import { CATALOG, findItem, LOCATIONS } from '../catalog.js';

/** On-hand quantities per location and SKU, starting from the catalog's initial stock. */
export class StockBook {
  private readonly onHand = new Map<string, number>();

  constructor() {
    for (const loc of LOCATIONS) for (const it of CATALOG) this.onHand.set(`${loc}|${it.sku}`, it.initialStock);
  }

  /** Change stock; answers the SKU moved, or undefined when the item is unknown. */
  move(location: string, item: { sku?: string; gtin?: string; hibccDi?: string }, delta: number): string | undefined {
    const it = findItem(item);
    if (!it) return undefined;
    const key = `${location}|${it.sku}`;
    this.onHand.set(key, (this.onHand.get(key) ?? 0) + delta);
    return it.sku;
  }

  level(location: string, sku: string): number {
    return this.onHand.get(`${location}|${sku}`) ?? 0;
  }

  /** Stock rows of one location (or all), with par and whether replenishment is due. */
  rows(location?: string): { location: string; sku: string; gtin: string; onHand: number; par: number; uom: string; belowPar: boolean }[] {
    const locs = location === undefined ? [...new Set([...this.onHand.keys()].map((k) => k.split('|')[0]))] : [location];
    return locs.flatMap((loc) => CATALOG.map((it) => {
      const onHand = this.level(loc, it.sku);
      return { location: loc, sku: it.sku, gtin: it.gtin, onHand, par: it.par, uom: it.uom, belowPar: onHand < it.par };
    }));
  }

  /** Plain object location → sku → on hand, for comparisons with expected totals. */
  snapshot(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [k, v] of this.onHand) {
      const [loc, sku] = k.split('|');
      (out[loc] ??= {})[sku] = v;
    }
    return out;
  }
}
