import { type Document, type LineCounter, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';

/** A path into the config: keys and list indexes, as zod reports them. */
export type ConfigPath = readonly PropertyKey[];

/**
 * `channels[3].destinations[0].url`: the notation of config locations.
 *
 * @example formatPath(['channels', 3, 'name']) // 'channels[3].name'
 */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      out += /^[A-Za-z_$][\w$]*$/.test(key) ? (out ? `.${key}` : key) : `["${key}"]`;
    }
  }
  return out || '(top level)';
}

/**
 * The 1-based line of the YAML node at `path`. A missing node (a required field that is absent)
 * falls back to its nearest present ancestor, which is where the user has to add it. With
 * `keyOnly`, the line of the key itself (an unknown key) rather than its value.
 */
export function lineOf(doc: Document, lines: LineCounter, path: ConfigPath, keyOnly = false): number {
  let node: unknown = doc.contents;
  let best: Node | undefined = isNodeWithRange(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      const last = i === path.length - 1;
      if (isNodeWithRange(pair.key) && (last && keyOnly)) {
        best = pair.key;
        break;
      }
      if (isNodeWithRange(pair.value)) best = pair.value;
      else if (isNodeWithRange(pair.key)) best = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNodeWithRange(item)) break;
      best = item;
      node = item;
    } else {
      break;
    }
  }
  const offset = best?.range?.[0] ?? 0;
  return lines.linePos(offset).line;
}

function isNodeWithRange(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

/** The plain value at `path` in parsed data, `undefined` when absent. */
export function valueAt(data: unknown, path: ConfigPath): unknown {
  let current = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Describe a found value for a message: `"abc"`, `number 12`, `a list`, `nothing`. */
export function describeValue(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (secret) return 'a value (hidden: secret)';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}
