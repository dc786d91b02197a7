import type { CatalogEntry } from '../../governance/catalog/index.js';
import type { PortfolioAssessment } from './assess.js';
import { loomName } from './migrate.js';

const FINANCIAL = new Set(['DFT', 'BAR']);

/**
 * The assessed Mirth channels as interface-catalog entries of one import source (`mirth:<export>`):
 * each channel and each of its destinations, with protocol, criticality, data classes (HL7 v2
 * carries PHI; DFT and BAR are financial too) and channel-to-channel dependencies.
 *
 * @example await catalog.import('mirth:backup.xml', catalogEntriesOf(assessment, 'mirth:backup.xml'), who)
 */
export function catalogEntriesOf(assessment: PortfolioAssessment, source: string): CatalogEntry[] {
  const id = (channel: string) => `channel:mirth/${loomName(channel)}`;
  const entries: CatalogEntry[] = [];
  for (const i of assessment.interfaces) {
    const hl7 = i.dataTypes.inbound === 'HL7V2' || i.messageTypes.length > 0;
    const dataClasses = [...(hl7 ? ['PHI'] : []), ...(i.messageTypes.some((t) => FINANCIAL.has(t)) ? ['financial'] : [])];
    const state = i.enabled ? (i.initialState === 'STOPPED' ? ' (stopped at deploy in Mirth)' : '') : ' (disabled in Mirth)';
    entries.push({
      id: id(i.channel), kind: 'channel', name: i.channel, source,
      description: `${i.description || 'Mirth channel'}${state}; source ${i.source.transport} ${i.source.address}; ${i.scriptSteps} script step(s), ${i.scriptCharacters} characters`,
      protocol: i.source.protocol, direction: i.source.protocol === 'channel' ? 'internal' : 'inbound',
      criticality: i.criticality, dataClasses, dependsOn: [], fedBy: i.fedBy.map(id),
    });
    for (const d of i.destinations) {
      entries.push({
        id: `destination:mirth/${loomName(i.channel)}/${loomName(d.name)}`, kind: 'destination', name: d.name, source,
        description: `${d.transport} ${d.address}${d.enabled ? '' : ' (disabled)'}`,
        protocol: d.protocol, direction: d.protocol === 'channel' ? 'internal' : 'outbound',
        criticality: i.criticality, dataClasses, dependsOn: [id(i.channel)], fedBy: [],
      });
    }
  }
  return entries;
}
