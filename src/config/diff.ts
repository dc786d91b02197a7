import type { ChannelConfig, LoomConfig } from './schema.js';

export interface ConfigDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * Which channels a reload must start, restart or stop. A channel is changed when any of its
 * resolved settings differ (including retention inherited from the top level).
 *
 * @example diffConfigs(before, after) // { added: ['erp-ap'], changed: ['ehr-adt'], removed: [] }
 */
export function diffConfigs(previous: Pick<LoomConfig, 'channels'>, next: Pick<LoomConfig, 'channels'>): ConfigDiff {
  const before = new Map(previous.channels.map((channel) => [channel.name, channel]));
  const after = new Map(next.channels.map((channel) => [channel.name, channel]));
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [name, channel] of after) {
    const old = before.get(name);
    if (old === undefined) added.push(name);
    else if (canonical(old) !== canonical(channel)) changed.push(name);
  }
  for (const name of before.keys()) if (!after.has(name)) removed.push(name);
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

function canonical(channel: ChannelConfig): string {
  return JSON.stringify(channel, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}
