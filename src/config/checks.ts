import type { z } from 'zod';

/**
 * Rules across entries that a per-field schema cannot see: unique names and references to
 * systems. They run on the raw data even when other fields failed, so every mistake of a
 * file is reported in one go.
 */
export function crossChecks(data: unknown): z.core.$ZodIssue[] {
  const issues: z.core.$ZodIssue[] = [];
  if (!isRecord(data)) return issues;
  const store = data.store;
  if (isRecord(store) && store.kind === 'postgres' && store.url === undefined) {
    issues.push({
      code: 'invalid_type',
      expected: 'string',
      path: ['store', 'url'],
      message: 'a postgres store needs a connection URL',
      input: undefined,
    });
  }
  const systems = uniqueNames(data.systems, 'systems', 'system', issues);
  const channels = Array.isArray(data.channels) ? data.channels : [];
  uniqueNames(data.channels, 'channels', 'channel', issues);
  channels.forEach((channel, index) => {
    if (!isRecord(channel)) return;
    uniqueNames(channel.destinations, ['channels', index, 'destinations'], 'destination', issues);
    const source = channel.source;
    if (typeof source === 'string' && systems.size > 0 && !systems.has(source)) {
      issues.push({
        code: 'custom',
        path: ['channels', index, 'source'],
        message: `source system "${source}" is not declared under systems (declared: ${[...systems].join(', ')})`,
        params: { loomCode: 'config.reference.unknown', hint: `add a system named "${source}" or fix the name` },
        input: source,
      });
    }
  });
  return issues;
}

function uniqueNames(
  list: unknown,
  at: string | (string | number)[],
  what: string,
  issues: z.core.$ZodIssue[],
): Set<string> {
  const seen = new Map<string, number>();
  if (!Array.isArray(list)) return new Set();
  const base = typeof at === 'string' ? [at] : at;
  list.forEach((entry, index) => {
    const name = isRecord(entry) ? entry.name : undefined;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, index);
      return;
    }
    issues.push({
      code: 'custom',
      path: [...base, index, 'name'],
      message: `${what} name "${name}" is already used by ${base.join('.').replace(/\.(\d+)/g, '[$1]')}[${first}]`,
      params: { loomCode: `config.${what}.duplicate`, hint: `${what} names must be unique; rename one of them` },
      input: name,
    });
  });
  return new Set(seen.keys());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
