import { LoomError } from '../kernel/index.js';
import type { Mapping, StepContext, StepFactory, StepFunction, StepOutput } from './types.js';

/**
 * A condition on a message: a function, or `{ path | field, equals | in | exists | matches, not? }`.
 * `path` reads a dotted property of `ctx.parsed()` (`type`, `data.item.gtin`); `field` reads a codec
 * path of an HL7 v2 message or X12 set (`MSH-9.1`, `PID-3.1`, `BEG03`); `not` negates the test.
 */
export type Condition = ((ctx: StepContext) => boolean) | { path?: string; field?: string; equals?: unknown; in?: unknown[]; exists?: boolean; matches?: string; not?: boolean };

/** The value at a codec path (`PID-3.1`) of a parsed message that has `get(path)`. */
function readField(parsed: unknown, field: string): string | undefined {
  const get = typeof parsed === 'object' && parsed !== null ? (parsed as { get?: unknown }).get : undefined;
  if (typeof get !== 'function') return undefined;
  const value: unknown = (get as (path: string) => unknown).call(parsed, field);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Read a dotted path (`order.items.0.gtin`) from a parsed value. */
export function readPath(value: unknown, dotted: string): unknown {
  let cur: unknown = value;
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Compile a Condition from step options. */
export function compileCondition(raw: unknown, where: string): (ctx: StepContext) => boolean {
  if (typeof raw === 'function') return raw as (ctx: StepContext) => boolean;
  const candidate = raw as { path?: unknown; field?: unknown } | null;
  if (candidate && typeof candidate === 'object' && (typeof candidate.path === 'string' || typeof candidate.field === 'string')) {
    const c = raw as Exclude<Condition, (ctx: StepContext) => boolean>;
    const re = c.matches ? new RegExp(c.matches) : undefined;
    const read = c.field !== undefined ? (ctx: StepContext) => readField(ctx.parsed(), c.field!) : (ctx: StepContext) => readPath(ctx.parsed(), c.path!);
    const test = (v: unknown): boolean => {
      if (c.exists !== undefined) return (v !== undefined) === c.exists;
      if (c.in) return c.in.includes(v);
      if (re) return typeof v === 'string' && re.test(v);
      return v === c.equals;
    };
    return (ctx) => test(read(ctx)) !== (c.not === true);
  }
  throw new LoomError('engine.step.options', `${where} needs a predicate function or { path|field, equals|in|exists|matches, not? }`, {
    location: where, hint: 'e.g. with: { when: { path: "type", equals: "ADT^A01" } } or { when: { field: "MSH-9.1", in: [ADT, ORU] } }',
  });
}

const filter: StepFactory = (o) => {
  const keep = compileCondition(o.when ?? o.predicate, 'filter.with.when');
  return (ctx) => (keep(ctx) ? undefined : { drop: String(o.reason ?? 'filtered') });
};

const translate: StepFactory = (o, services) => {
  const name = String(o.mapping ?? '');
  const fn: Mapping | undefined = typeof o.mapping === 'function' ? (o.mapping as Mapping) : services.mappings.get(name);
  if (!fn) {
    throw new LoomError('engine.step.mapping-unknown', `translate names mapping "${name}" which is not registered`, {
      location: 'translate.with.mapping', hint: `registered: ${[...services.mappings.keys()].join(', ') || 'none'}`,
    });
  }
  return (ctx) => {
    const out = fn(o.raw === true ? ctx.payload : ctx.parsed(), ctx);
    return { payload: out.payload, ...(out.contentType ? { contentType: out.contentType } : {}) };
  };
};

const route: StepFactory = (o) => {
  const routes = (Array.isArray(o.routes) ? o.routes : []).map((r: unknown, i: number) => {
    const rr = r as { when?: unknown; to?: unknown };
    return { when: compileCondition(rr.when, `route.with.routes[${i}].when`), to: Array.isArray(rr.to) ? rr.to.map(String) : [String(rr.to)] };
  });
  const otherwise = Array.isArray(o.otherwise) ? o.otherwise.map(String) : [];
  const all = o.all === true; // recipient list: every matching route, not just the first
  return (ctx) => {
    const to: string[] = [];
    for (const r of routes) {
      if (r.when(ctx)) {
        to.push(...r.to);
        if (!all) break;
      }
    }
    return { destinations: to.length > 0 ? to : otherwise };
  };
};

const split: StepFactory = (o) => {
  const by = o.by;
  if (typeof by === 'function') return (ctx) => ({ split: (by as (c: StepContext) => Array<{ payload: Uint8Array | string }>)(ctx) });
  const separator = typeof o.separator === 'string' ? o.separator : '\n';
  return (ctx) => ({ split: ctx.text().split(separator).filter((p) => p.length > 0).map((payload) => ({ payload })) });
};

/** enrich: GET a URL (`{key}` placeholders filled from `ctx.data` / business keys) with a timeout; JSON lands in `ctx.data[as]`. */
const enrich: StepFactory = (o) => {
  const url = o.url;
  const as = String(o.as ?? 'enrichment');
  const timeoutMs = Number(o.timeoutMs ?? 2000);
  return async (ctx) => {
    const target = typeof url === 'function' ? String((url as (c: StepContext) => string)(ctx)) : String(url).replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(ctx.data[k] ?? '')));
    let res: Response;
    try {
      res = await fetch(target, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new LoomError('engine.enrich.unreachable', `enrich lookup ${new URL(target).origin} failed: ${String(cause)}`, { cause, hint: 'check the lookup service or raise timeoutMs' });
    }
    if (!res.ok) throw new LoomError('engine.enrich.status', `enrich lookup answered HTTP ${res.status}`, { hint: 'check the lookup URL' });
    ctx.data[as] = (await res.json()) as unknown;
    return undefined;
  };
};

/** Built-in steps by name. */
export const builtinSteps: ReadonlyMap<string, StepFactory> = new Map([
  ['filter', filter], ['translate', translate], ['route', route], ['split', split], ['enrich', enrich],
]);

/**
 * Steps by name: built-ins plus user steps. A user step module exports a StepFunction
 * (or a StepFactory via `factory`).
 *
 * @example registry.register('tag-mrn', () => (ctx) => ctx.setKey('mrn', '123'));
 */
export class StepRegistry {
  private readonly factories = new Map<string, StepFactory>(builtinSteps);

  register(name: string, factory: StepFactory): void {
    this.factories.set(name, factory);
  }

  unregister(name: string): void {
    if (!builtinSteps.has(name)) this.factories.delete(name);
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  names(): string[] {
    return [...this.factories.keys()];
  }

  build(name: string, options: Record<string, unknown>, services: { mappings: ReadonlyMap<string, Mapping> }, where: string): StepFunction {
    const f = this.factories.get(name);
    if (!f) {
      throw new LoomError('engine.step.unknown', `Step "${name}" is not registered`, { location: where, hint: `known steps: ${this.names().join(', ')}` });
    }
    return f(options, services);
  }
}

export type { StepOutput };
