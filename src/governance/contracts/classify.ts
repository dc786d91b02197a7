import type { Classification, ContractChange, FieldSpec } from './types.js';

/**
 * Is `next` a compatible evolution of `previous`? Breaking: a field removed, a type narrowed or
 * changed, a new required field, an optional field made required, an enum or length narrowed,
 * a cardinality (min/max repetitions) changed. Compatible: optional fields added, types, enums
 * and lengths widened, a required field made optional. Pure.
 *
 * @example classifyChange(shapeOf('json-schema', v1), shapeOf('json-schema', v2)).compatibility // 'breaking'
 */
export function classifyChange(previous: FieldSpec, next: FieldSpec): Classification {
  const changes: ContractChange[] = [];
  compare(previous, next, '', changes);
  return { compatibility: changes.some((c) => c.breaking) ? 'breaking' : 'compatible', changes };
}

const join = (path: string, key: string): string => (path === '' ? key : /^[A-Z0-9]{2,3}(-\d+|\d{2})$/.test(key) ? key : `${path}.${key}`);

function compare(a: FieldSpec, b: FieldSpec, path: string, out: ContractChange[]): void {
  const at = path || '(root)';
  const push = (kind: ContractChange['kind'], breaking: boolean, message: string) => out.push({ path: at, kind, breaking, message });
  typeChange(a.types, b.types, (kind, breaking, message) => push(kind, breaking, `${at} ${message}`));
  if (a.enum || b.enum) {
    const before = new Set(a.enum ?? []);
    const after = new Set(b.enum ?? []);
    if (a.enum && (!b.enum || [...before].some((v) => !after.has(v)))) {
      if (b.enum) push('enum.narrowed', true, `${at} no longer allows ${[...before].filter((v) => !after.has(v)).join(', ')}`);
      else push('enum.widened', false, `${at} allows any value now`);
    } else if (!a.enum && b.enum) push('enum.narrowed', true, `${at} is limited to ${[...after].join(', ')}`);
    else if ([...after].some((v) => !before.has(v))) push('enum.widened', false, `${at} also allows ${[...after].filter((v) => !before.has(v)).join(', ')}`);
  }
  if (a.maxLength !== b.maxLength) {
    const narrowed = b.maxLength !== undefined && (a.maxLength === undefined || b.maxLength < a.maxLength);
    push(narrowed ? 'length.narrowed' : 'length.widened', narrowed, `${at} length ${a.maxLength ?? 'unbounded'} → ${b.maxLength ?? 'unbounded'}`);
  }
  if (a.min !== b.min || a.max !== b.max) {
    push('cardinality.changed', true, `${at} repeats ${a.min}..${a.max ?? '*'} → ${b.min}..${b.max ?? '*'}`);
  }
  if (a.items && b.items) compare(a.items, b.items, `${path}[]`, out);
  for (const [key, before] of Object.entries(a.children)) {
    const after = b.children[key];
    const p = join(path, key);
    if (!after) {
      out.push({ path: p, kind: 'field.removed', breaking: true, message: `${p} was removed` });
      continue;
    }
    if (!before.required && after.required) out.push({ path: p, kind: 'field.now-required', breaking: true, message: `${p} is required now` });
    if (before.required && !after.required) out.push({ path: p, kind: 'field.now-optional', breaking: false, message: `${p} is optional now` });
    compare(before, after, p, out);
  }
  for (const [key, after] of Object.entries(b.children)) {
    if (key in a.children) continue;
    const p = join(path, key);
    out.push(after.required
      ? { path: p, kind: 'field.required-added', breaking: true, message: `${p} is new and required: senders without it fail` }
      : { path: p, kind: 'field.added', breaking: false, message: `${p} is new and optional` });
  }
}

// JSON Schema: an integer is a number.
const covers = (wide: string, narrow: string): boolean => wide === narrow || (wide === 'number' && narrow === 'integer');

function typeChange(a: string[], b: string[], push: (kind: ContractChange['kind'], breaking: boolean, message: string) => void): void {
  const same = a.length === b.length && a.every((t) => b.includes(t));
  if (same) return;
  const show = (t: string[]) => (t.length ? t.join('|') : 'any');
  const subset = (x: string[], y: string[]) => y.length === 0 || (x.length > 0 && x.every((t) => y.some((w) => covers(w, t))));
  if (subset(b, a)) push('type.narrowed', true, `type ${show(a)} → ${show(b)}: values of the old type are rejected`);
  else if (subset(a, b)) push('type.widened', false, `type ${show(a)} → ${show(b)}`);
  else push('type.changed', true, `type ${show(a)} → ${show(b)}`);
}
