import { parse } from 'yaml';
import type { FieldChange, NamedChanges, ReleaseDiff } from './types.js';

/** What a diff compares: a config's YAML text and the crosswalk versions in effect. */
export interface ReleaseSnapshot {
  text: string;
  crosswalks: Record<string, string>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNamedList = (v: unknown): v is Json[] => Array.isArray(v) && v.length > 0 && v.every((item) => isObject(item) && typeof item.name === 'string');
const SECTIONS_OF_THEIR_OWN = new Set(['channels', 'systems']);

/**
 * What changes between two releases, as an operator reviews it: channels and systems added,
 * removed and changed (field by field, destinations by name), mappings and contract pins the
 * channels use, crosswalk versions in effect, and every other section by path. Pure: compares the
 * YAML as written (`${env:}` references unresolved), so it needs no secrets.
 *
 * @example diffReleases({ text: a, crosswalks: {} }, { text: b, crosswalks: {} }).channels.added // ['erp-ap']
 */
export function diffReleases(before: ReleaseSnapshot, after: ReleaseSnapshot): ReleaseDiff {
  const a = document(before.text);
  const b = document(after.text);
  const other: FieldChange[] = [];
  for (const key of sortedKeys(a, b)) if (!SECTIONS_OF_THEIR_OWN.has(key)) diffValue(a[key], b[key], key, other);
  return {
    channels: diffNamed(list(a.channels), list(b.channels)),
    systems: diffNamed(list(a.systems), list(b.systems)),
    mappings: diffSets(mappingsOf(a), mappingsOf(b)),
    contracts: diffMaps(contractPins(a), contractPins(b)).map(({ name, ...rest }) => ({ channel: name, ...rest })),
    crosswalks: diffMaps(before.crosswalks, after.crosswalks),
    other,
  };
}

/** True when the diff has nothing in it. */
export function isEmptyDiff(diff: ReleaseDiff): boolean {
  const named = (n: NamedChanges) => n.added.length + n.removed.length + n.changed.length === 0;
  return named(diff.channels) && named(diff.systems) && diff.mappings.added.length + diff.mappings.removed.length === 0
    && diff.contracts.length === 0 && diff.crosswalks.length === 0 && diff.other.length === 0;
}

function document(text: string): Json {
  const value: unknown = parse(text);
  return isObject(value) ? value : {};
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function sortedKeys(a: Json, b: Json): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function diffNamed(before: Json[], after: Json[]): NamedChanges {
  const old = new Map(before.map((item) => [String(item.name), item]));
  const next = new Map(after.map((item) => [String(item.name), item]));
  const out: NamedChanges = { added: [], removed: [], changed: [] };
  for (const [name, item] of next) {
    const previous = old.get(name);
    if (!previous) {
      out.added.push(name);
      continue;
    }
    const fields: FieldChange[] = [];
    for (const key of sortedKeys(previous, item)) if (key !== 'name') diffValue(previous[key], item[key], key, fields);
    if (fields.length > 0) out.changed.push({ name, fields });
  }
  for (const name of old.keys()) if (!next.has(name)) out.removed.push(name);
  out.added.sort();
  out.removed.sort();
  out.changed.sort((x, y) => (x.name < y.name ? -1 : 1));
  return out;
}

/** Push the leaf changes between two values under `path`; lists of named items match by name. */
function diffValue(a: unknown, b: unknown, path: string, out: FieldChange[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (isObject(a) && isObject(b)) {
    for (const key of sortedKeys(a, b)) diffValue(a[key], b[key], `${path}.${key}`, out);
    return;
  }
  if (isNamedList(a) && isNamedList(b)) {
    const named = diffNamed(a, b);
    for (const name of named.added) out.push({ path: `${path}[${name}]`, to: b.find((i) => i.name === name) });
    for (const name of named.removed) out.push({ path: `${path}[${name}]`, from: a.find((i) => i.name === name) });
    for (const { name, fields } of named.changed) for (const f of fields) out.push({ ...f, path: `${path}[${name}].${f.path}` });
    return;
  }
  out.push({ path, ...(a !== undefined ? { from: a } : {}), ...(b !== undefined ? { to: b } : {}) });
}

/** Every `mapping: <name>` string under the channels' steps. */
function mappingsOf(doc: Json): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'mapping' && typeof v === 'string') found.add(v);
        else walk(v);
      }
    }
  };
  for (const channel of list(doc.channels)) walk(channel.steps);
  return found;
}

function contractPins(doc: Json): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const channel of list(doc.channels)) {
    const contract = channel.contract;
    if (isObject(contract) && typeof contract.name === 'string') pins[String(channel.name)] = `${contract.name}@${String(contract.version ?? 'latest')}`;
  }
  return pins;
}

function diffSets(a: Set<string>, b: Set<string>): { added: string[]; removed: string[] } {
  return { added: [...b].filter((x) => !a.has(x)).sort(), removed: [...a].filter((x) => !b.has(x)).sort() };
}

function diffMaps(a: Record<string, string>, b: Record<string, string>): Array<{ name: string; from?: string; to?: string }> {
  const out: Array<{ name: string; from?: string; to?: string }> = [];
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const from = a[name];
    const to = b[name];
    if (from !== to) out.push({ name, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  }
  return out;
}
