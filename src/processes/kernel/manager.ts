import { LoomError, systemClock, type Clock } from '../../kernel/index.js';
import type { ProcessStore, ProcessTx, SlaSample } from './store.js';
import {
  instanceId, type Effect, type InstanceDetail, type InstancePage, type InstanceQuery, type ProcessDefinition,
  type ProcessEvent, type ProcessInstance, type ProcessStatus, type TimelineEntry,
} from './types.js';

export interface ProcessManagerOptions {
  store: ProcessStore;
  /** Method syntax in ProcessDefinition makes a definition of any state type fit here. */
  processes: ReadonlyArray<ProcessDefinition<unknown>>;
  clock?: Clock;
  /** How deep `feed` effects may chain (implant-case → discharge-charge is 1). Default 4. */
  maxFeedDepth?: number;
}

export interface HandleOptions {
  /** Limit the first hop to these processes; events fed by effects still reach every process. */
  only?: readonly string[];
  /**
   * Who delivers the event (the engine message id, or the original's id for a replay). A repeat from
   * the same source re-emits the recorded effects (crash between this commit and the engine's);
   * a repeat from another source is a duplicate: no effects, since the first source emits them.
   * Without a source every repeat re-emits.
   */
  source?: string;
}

/** What one `handle` or `sweep` did. */
export interface HandleResult {
  /** Effects to deliver, unique by key, in the order produced (re-emitted ones included). */
  effects: Effect[];
  /** Instances the event touched; `replayed` when the event had been applied before (effects re-emitted). */
  applied: Array<{ instanceId: string; eventId: string; replayed: boolean; duplicate?: boolean; status: ProcessStatus }>;
  /** SLA samples this call recorded for the first time (a replayed event records none). */
  samples: SlaSample[];
}

/** SLA samples a pure `apply` may attach to its state under this field; the kernel stores them. */
export interface WithSamples {
  samples?: Array<Omit<SlaSample, 'process' | 'key'>>;
}

/**
 * The ProcessManager (EIP): routes each event to the durable instances that correlate it, applies
 * it with the process's pure `apply`, and commits the new state, the event id, the timeline entry
 * and the effects in one transaction. An event applied before is not applied again: its recorded
 * effects are returned once more, so a crash between this commit and the engine's completion
 * loses nothing and creates nothing new.
 *
 * @example
 * const pm = new ProcessManager({ store, processes: [implantCaseProcess(config)] });
 * const { effects } = await pm.handle(event);
 */
export class ProcessManager {
  private readonly store: ProcessStore;
  private readonly processes: ReadonlyMap<string, ProcessDefinition<unknown>>;
  private readonly clock: Clock;
  private readonly maxFeedDepth: number;
  private readonly sampleListeners = new Set<(sample: SlaSample) => void>();

  constructor(options: ProcessManagerOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.maxFeedDepth = options.maxFeedDepth ?? 4;
    const map = new Map<string, ProcessDefinition<unknown>>();
    for (const p of options.processes) {
      if (map.has(p.name)) throw new LoomError('process.definition.duplicate', `process "${p.name}" is defined twice`, { hint: 'give each process a unique name' });
      map.set(p.name, p);
    }
    this.processes = map;
  }

  /** Names of the defined processes. */
  names(): string[] {
    return [...this.processes.keys()];
  }

  /**
   * Apply one event to every process that correlates it (one transaction). `only` limits the first
   * hop to the named processes; events fed by effects still reach every process.
   */
  async handle(event: ProcessEvent, options: HandleOptions = {}): Promise<HandleResult> {
    const result = await this.store.transaction(async (tx) => {
      const r: HandleResult = { effects: [], applied: [], samples: [] };
      await this.applyAll(tx, event, 0, r, options.source, options.only);
      return dedupe(r);
    });
    this.emitSamples(result.samples);
    return result;
  }

  /**
   * Be told of every SLA sample after the transaction that recorded it commits (once per
   * process, key and measure). Returns an unsubscribe function.
   *
   * @example manager.onSample((s) => slas.recordProcessSample(s));
   */
  onSample(listener: (sample: SlaSample) => void): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  /** Apply timer events to instances whose `dueAt` has passed. The host calls this periodically. */
  async sweep(now: number = this.clock.now(), limit = 500): Promise<HandleResult> {
    const nowIso = new Date(now).toISOString();
    const due = await this.store.listDue(nowIso, limit);
    const result: HandleResult = { effects: [], applied: [], samples: [] };
    for (const inst of due) {
      const def = this.processes.get(inst.process);
      if (!def || inst.dueAt === undefined) continue;
      const event: ProcessEvent = { id: `timer/${inst.id}/${inst.dueAt}`, type: 'process.timer', occurredAt: nowIso, correlation: {}, data: { dueAt: inst.dueAt } };
      const before = result.samples.length;
      await this.store.transaction(async (tx) => {
        await this.applyOne(tx, def, inst.key, event, 0, result, event.id);
      });
      this.emitSamples(result.samples.slice(before));
    }
    return dedupe(result);
  }

  listInstances(query: InstanceQuery = {}): Promise<InstancePage> {
    return this.store.list(query);
  }

  getInstance(id: string): Promise<InstanceDetail | undefined> {
    return this.store.get(id);
  }

  countByStatus(process?: string): Promise<Record<ProcessStatus, number>> {
    return this.store.countByStatus(process);
  }

  /**
   * Instances that wait or failed, per process, status and wait cause (`waitCause` of the wait
   * text: bounded, for metrics and dashboards).
   */
  async waitCauses(): Promise<Array<{ process: string; status: ProcessStatus; cause: string; count: number }>> {
    const out = new Map<string, { process: string; status: ProcessStatus; cause: string; count: number }>();
    for (const w of await this.store.countWaiting()) {
      const cause = waitCause(w.waitingFor);
      const k = `${w.process}\u0000${w.status}\u0000${cause}`;
      const c = out.get(k) ?? { process: w.process, status: w.status, cause, count: 0 };
      c.count += w.count;
      out.set(k, c);
    }
    return [...out.values()];
  }

  slaSamples(query: { process?: string; measure?: string; limit?: number } = {}): Promise<SlaSample[]> {
    return this.store.slaSamples(query);
  }

  private async applyAll(tx: ProcessTx, event: ProcessEvent, depth: number, result: HandleResult, source: string | undefined, only?: readonly string[]): Promise<void> {
    for (const def of this.processes.values()) {
      if (only && !only.includes(def.name)) continue;
      const key = def.correlate(event);
      if (key !== undefined) await this.applyOne(tx, def, key, event, depth, result, source);
    }
  }

  private async applyOne(tx: ProcessTx, def: ProcessDefinition<unknown>, key: string, event: ProcessEvent, depth: number, result: HandleResult, source: string | undefined): Promise<void> {
    const id = instanceId(def.name, key);
    const prior = await tx.applied(id, event.id);
    let effects: Effect[];
    if (prior && source !== undefined && prior.source !== undefined && prior.source !== source) {
      // the same business event in another message: its first delivery emits (or will re-emit) the effects
      result.applied.push({ instanceId: id, eventId: event.id, replayed: false, duplicate: true, status: prior.status });
      return;
    } else if (prior) {
      effects = prior.effects;
      result.applied.push({ instanceId: id, eventId: event.id, replayed: true, status: prior.status });
    } else {
      const now = this.clock.now();
      const current: ProcessInstance = (await tx.find(id)) ?? { id, process: def.name, key, status: 'open', state: def.initial(), createdAt: now, updatedAt: now, version: 0 };
      const r = def.apply(current.state, event);
      effects = r.effects;
      const next: ProcessInstance = {
        id, process: def.name, key, status: r.status, state: r.state, createdAt: current.createdAt, updatedAt: now, version: current.version + 1,
        ...(r.waitingFor ? { waitingFor: r.waitingFor } : {}), ...(r.dueAt ? { dueAt: r.dueAt } : {}),
      };
      const entry: TimelineEntry = {
        eventId: event.id, eventType: event.type, occurredAt: event.occurredAt, appliedAt: now, status: r.status,
        ...(r.waitingFor ? { waitingFor: r.waitingFor } : {}), effects, ...(source !== undefined ? { source } : {}),
      };
      await tx.record(next, entry);
      for (const s of samplesOf(r.state)) {
        const sample: SlaSample = { ...s, process: def.name, key };
        if (await tx.addSample(sample)) result.samples.push(sample);
      }
      result.applied.push({ instanceId: id, eventId: event.id, replayed: false, status: r.status });
    }
    result.effects.push(...effects);
    for (const e of effects) {
      if (!e.feed) continue;
      if (depth >= this.maxFeedDepth) {
        throw new LoomError('process.feed.too-deep', `effect ${e.key} of ${id} would chain more than ${this.maxFeedDepth} processes`, { hint: 'a process feeds itself in a loop: check the feed flags' });
      }
      await this.applyAll(tx, e.payload as ProcessEvent, depth + 1, result, source);
    }
  }

  private emitSamples(samples: readonly SlaSample[]): void {
    for (const sample of samples) {
      for (const listener of this.sampleListeners) listener(sample);
    }
  }
}

function samplesOf(state: unknown): NonNullable<WithSamples['samples']> {
  if (state === null || typeof state !== 'object') return [];
  const s = (state as WithSamples).samples;
  return Array.isArray(s) ? s : [];
}

function dedupe(r: HandleResult): HandleResult {
  const seen = new Set<string>();
  return { applied: r.applied, samples: r.samples, effects: r.effects.filter((e) => (seen.has(e.key) ? false : (seen.add(e.key), true))) };
}

const TRAILING_LINK_WORDS = new Set(['for', 'of', 'at', 'within', 'in', 'on', 'to', 'by', 'from', 'with']);

/**
 * The cause of a wait without its particulars: the wait text up to its first `:` and before its
 * first word holding a digit (an id, a count, a price), trailing link words dropped. Bounded by the
 * process definitions' texts, so it suits a metric label.
 *
 * @example waitCause('charges missing at discharge for 2 device(s): …') // 'charges missing at discharge'
 * @example waitCause('waiting for goods receipt of PO 4500012 (5 EA)') // 'waiting for goods receipt of PO'
 */
export function waitCause(waitingFor: string): string {
  const words = (waitingFor.split(':')[0] ?? '').trim().split(/\s+/);
  const firstId = words.findIndex((w) => /\d/.test(w));
  const kept = firstId < 0 ? words : words.slice(0, firstId);
  while (kept.length > 1 && TRAILING_LINK_WORDS.has(kept[kept.length - 1].toLowerCase())) kept.pop();
  return kept.join(' ').slice(0, 80) || 'unspecified';
}
