import type { PortfolioAssessment } from './assess.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The assessment as a Markdown report for the integration team (what `loom catalog import --mirth` prints). */
export function renderAssessmentMarkdown(a: PortfolioAssessment, title = 'Mirth estate assessment'): string {
  const lines: string[] = [`# ${title}`, ''];
  const live = a.interfaces.filter((i) => i.enabled && i.initialState !== 'STOPPED').length;
  lines.push(`${a.interfaces.length} channels (${live} live), ${a.duplicatedEndpoints.length} shared endpoints, ${a.deadChannels.length} dead channels, ${a.chains.length} point-to-point chains, ${a.findings.length} parts Loom does not read.`, '');
  lines.push('## Interfaces', '', '| channel | criticality | source | destinations | message types | script steps (chars) | feeds | fed by |', '|---|---|---|---|---|---|---|---|');
  for (const i of a.interfaces) {
    lines.push(`| ${cell(i.channel)}${i.enabled ? '' : ' (disabled)'} | ${i.criticality}: ${cell(i.criticalityReason)} | ${i.source.protocol} ${cell(i.source.address)} | ${i.destinations.map((d) => `${d.protocol} ${cell(d.address)}${d.enabled ? '' : ' (off)'}`).join('<br>')} | ${i.messageTypes.join(', ') || '—'} | ${i.scriptSteps} (${i.scriptCharacters}) | ${cell(i.feeds.join(', ')) || '—'} | ${cell(i.fedBy.join(', ')) || '—'} |`);
  }
  lines.push('', '## Endpoints used by more than one channel', '');
  if (a.duplicatedEndpoints.length === 0) lines.push('None.');
  for (const d of a.duplicatedEndpoints) {
    const why = d.use === 'listen' ? 'only one can listen: the others fail at deploy' : d.use === 'read' ? 'readers race for the same input' : 'one receiver fed point-to-point by several channels: one canonical route with several subscribers replaces them';
    lines.push(`- ${d.use} \`${d.address}\`: ${d.channels.join(', ')} (${why})`);
  }
  lines.push('', '## Dead channels', '');
  if (a.deadChannels.length === 0) lines.push('None.');
  for (const d of a.deadChannels) lines.push(`- ${d.channel}: ${d.reason}`);
  lines.push('', '## Point-to-point chains', '');
  if (a.chains.length === 0) lines.push('None.');
  for (const c of a.chains) lines.push(`- ${c.channels.join(' → ')}: one Loom channel with a canonical event and routed destinations replaces ${c.channels.length} hops`);
  lines.push('', '## Not read by Loom', '');
  if (a.findings.length === 0) lines.push('Nothing: every part of the export was read.');
  for (const f of a.findings) lines.push(`- ${f.severity}: ${f.channel}: ${f.message} (${f.file} ${f.path})`);
  return `${lines.join('\n')}\n`;
}
