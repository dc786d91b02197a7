import { isEmptyDiff } from './diff.js';
import type { FieldChange, NamedChanges, ReleaseDiff } from './types.js';

const show = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

function field(f: FieldChange): string {
  if (f.from === undefined) return `+ ${f.path}: ${show(f.to)}`;
  if (f.to === undefined) return `- ${f.path}: ${show(f.from)}`;
  return `~ ${f.path}: ${show(f.from)} → ${show(f.to)}`;
}

function named(title: string, n: NamedChanges): string[] {
  const lines = [
    ...n.added.map((name) => `  + ${name}`),
    ...n.removed.map((name) => `  - ${name}`),
    ...n.changed.flatMap((c) => [`  ~ ${c.name}`, ...c.fields.map((f) => `      ${field(f)}`)]),
  ];
  return lines.length ? [`${title}:`, ...lines] : [];
}

/**
 * The diff as terminal text, one section per kind of change.
 *
 * @example renderDiff(diff) // 'channels:\n  + erp-ap\n  ~ ehr-adt\n      ~ destinations[erp].url: http://a → http://b\n'
 */
export function renderDiff(diff: ReleaseDiff): string {
  if (isEmptyDiff(diff)) return 'no changes\n';
  const pairs = (title: string, items: Array<{ from?: string; to?: string }>, label: (i: never) => string) =>
    items.length ? [`${title}:`, ...items.map((i) => `  ${i.from === undefined ? '+' : i.to === undefined ? '-' : '~'} ${label(i as never)}: ${i.from ?? '(none)'} → ${i.to ?? '(none)'}`)] : [];
  const lines = [
    ...named('channels', diff.channels),
    ...named('systems', diff.systems),
    ...(diff.mappings.added.length + diff.mappings.removed.length ? ['mappings:', ...diff.mappings.added.map((m) => `  + ${m}`), ...diff.mappings.removed.map((m) => `  - ${m}`)] : []),
    ...pairs('contracts', diff.contracts, (i: { channel: string }) => i.channel),
    ...pairs('crosswalks', diff.crosswalks, (i: { name: string }) => i.name),
    ...(diff.other.length ? ['other:', ...diff.other.map((f) => `  ${field(f)}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}
