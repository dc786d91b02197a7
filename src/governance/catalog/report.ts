import { stringify } from 'csv-stringify/sync';
import type { CatalogEntry, CatalogKind } from './types.js';

const KINDS: Array<[CatalogKind, string]> = [['system', 'Systems'], ['channel', 'Channels'], ['destination', 'Destinations'], ['process', 'Processes']];
const COLUMNS = ['id', 'kind', 'name', 'source', 'owner', 'protocol', 'direction', 'criticality', 'dataClasses', 'sla', 'dependsOn', 'fedBy', 'description'] as const;

const cell = (value: string | undefined): string => (value ? value.replace(/\|/g, '\\|').replace(/\n/g, ' ') : '—');

/**
 * The catalog as a Markdown report: one table per kind (systems, channels, destinations, processes).
 *
 * @example catalogMarkdown(entries).startsWith('# Interface catalog') // true
 */
export function catalogMarkdown(entries: readonly CatalogEntry[]): string {
  const out = ['# Interface catalog', '', `${entries.length} entries. Data classes PHI and financial mark what needs review before a change.`, ''];
  for (const [kind, title] of KINDS) {
    const rows = entries.filter((e) => e.kind === kind);
    if (rows.length === 0) continue;
    out.push(`## ${title}`, '', '| name | owner | protocol | direction | criticality | data classes | SLA | depends on | source |', '|---|---|---|---|---|---|---|---|---|');
    for (const e of rows) {
      const deps = [...e.dependsOn, ...e.fedBy.map((f) => `${f} (feed)`)].join(', ');
      out.push(`| ${cell(e.name)} | ${cell(e.owner)} | ${cell(e.protocol)} | ${cell(e.direction)} | ${cell(e.criticality)} | ${cell(e.dataClasses.join(', '))} | ${cell(e.sla)} | ${cell(deps)} | ${cell(e.source)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The catalog as CSV (header row; lists joined with `;`). */
export function catalogCsv(entries: readonly CatalogEntry[]): string {
  return stringify(
    entries.map((e) => [e.id, e.kind, e.name, e.source, e.owner ?? '', e.protocol ?? '', e.direction ?? '', e.criticality ?? '', e.dataClasses.join(';'), e.sla ?? '', e.dependsOn.join(';'), e.fedBy.join(';'), e.description ?? '']),
    { header: true, columns: [...COLUMNS] },
  );
}
