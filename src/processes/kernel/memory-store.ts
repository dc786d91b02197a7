import { cursor, emptyCounts, type ProcessStore, type ProcessTx, type SlaSample, type WaitingCount } from './store.js';
import type { InstanceDetail, InstancePage, InstanceQuery, ProcessInstance, ProcessStatus, TimelineEntry } from './types.js';

const clone = <T>(v: T): T => structuredClone(v);

/**
 * In-memory ProcessStore (tests, library use without a database). A failing transaction leaves
 * nothing behind: writes go to a copy that replaces the maps only on success.
 *
 * @example const pm = new ProcessManager({ store: new MemoryProcessStore(), processes: [p] });
 */
export class MemoryProcessStore implements ProcessStore {
  readonly kind = 'memory';
  private instances = new Map<string, ProcessInstance>();
  private timelines = new Map<string, TimelineEntry[]>();
  private readonly samples = new Map<string, SlaSample>();
  private chain: Promise<unknown> = Promise.resolve();

  async migrate(): Promise<string[]> {
    return [];
  }

  transaction<T>(fn: (tx: ProcessTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const instances = new Map(this.instances);
      const timelines = new Map(this.timelines);
      const samples: SlaSample[] = [];
      const tx: ProcessTx = {
        find: async (id) => (instances.has(id) ? clone(instances.get(id)) : undefined),
        applied: async (id, eventId) => clone((timelines.get(id) ?? []).find((e) => e.eventId === eventId)),
        record: async (instance, entry) => {
          instances.set(instance.id, clone(instance));
          timelines.set(instance.id, [...(timelines.get(instance.id) ?? []), clone(entry)]);
        },
        addSample: async (sample) => {
          const isNew = !this.samples.has(sampleKey(sample)) && !samples.some((s) => sampleKey(s) === sampleKey(sample));
          if (isNew) samples.push({ ...sample });
          return isNew;
        },
      };
      const out = await fn(tx);
      this.instances = instances;
      this.timelines = timelines;
      for (const sample of samples) this.addSample(sample);
      return out;
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  async get(id: string): Promise<InstanceDetail | undefined> {
    const i = this.instances.get(id);
    return i ? clone({ ...i, timeline: this.timelines.get(id) ?? [] }) : undefined;
  }

  async list(q: InstanceQuery): Promise<InstancePage> {
    const after = cursor.decode(q.cursor);
    const limit = Math.max(1, Math.min(q.limit ?? 50, 500));
    const prefix = q.key?.endsWith('*') ? q.key.slice(0, -1) : undefined;
    const all = [...this.instances.values()]
      .filter((i) => (!q.process || i.process === q.process) && (!q.status || i.status === q.status)
        && (q.key === undefined || (prefix !== undefined ? i.key.startsWith(prefix) : i.key === q.key))
        && (after === undefined || i.id > after))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const items = all.slice(0, limit).map(clone);
    return { items, ...(all.length > limit ? { nextCursor: cursor.encode(items[items.length - 1].id) } : {}) };
  }

  async countByStatus(process?: string): Promise<Record<ProcessStatus, number>> {
    const out = emptyCounts();
    for (const i of this.instances.values()) if (!process || i.process === process) out[i.status]++;
    return out;
  }

  async countWaiting(): Promise<WaitingCount[]> {
    const counts = new Map<string, WaitingCount>();
    for (const i of this.instances.values()) {
      if (i.waitingFor === undefined || i.status === 'completed') continue;
      const k = `${i.process}\u0000${i.status}\u0000${i.waitingFor}`;
      const c = counts.get(k) ?? { process: i.process, status: i.status, waitingFor: i.waitingFor, count: 0 };
      c.count++;
      counts.set(k, c);
    }
    return [...counts.values()];
  }

  async listDue(nowIso: string, limit: number): Promise<ProcessInstance[]> {
    const now = Date.parse(nowIso);
    return [...this.instances.values()].filter((i) => i.dueAt !== undefined && Date.parse(i.dueAt) <= now)
      .sort((a, b) => Date.parse(a.dueAt ?? '') - Date.parse(b.dueAt ?? '')).slice(0, limit).map(clone);
  }

  private addSample(s: SlaSample): void {
    const k = sampleKey(s);
    if (!this.samples.has(k)) this.samples.set(k, { ...s });
  }

  async slaSamples(q: { process?: string; measure?: string; limit?: number } = {}): Promise<SlaSample[]> {
    return [...this.samples.values()].filter((s) => (!q.process || s.process === q.process) && (!q.measure || s.measure === q.measure))
      .slice(0, q.limit ?? 1000).map((s) => ({ ...s }));
  }

  async close(): Promise<void> {}
}

/** One sample per (process, key, measure), as the SQLite table's primary key. */
function sampleKey(s: SlaSample): string {
  return `${s.process}\u0000${s.key}\u0000${s.measure}`;
}
