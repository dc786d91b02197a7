import { endpointAddress, protocolOf, type Protocol } from './endpoints.js';
import type { MirthChannel, MirthConnector, MirthExport, MirthFinding, MirthStep } from './types.js';

export type Criticality = 'low' | 'medium' | 'high' | 'critical';

/** One Mirth channel as an interface of the catalog. */
export interface AssessedInterface {
  channel: string;
  id: string;
  description: string;
  enabled: boolean;
  initialState: string;
  source: { transport: string; protocol: Protocol; address: string };
  destinations: Array<{ name: string; transport: string; protocol: Protocol; address: string; enabled: boolean }>;
  dataTypes: { inbound?: string; outbound?: string };
  /** HL7 message types the channel carries, from its filters, sample message and name. */
  messageTypes: string[];
  filterRules: number;
  transformerSteps: number;
  /** Steps and channel scripts holding JavaScript, and their characters: the porting effort. */
  scriptSteps: number;
  scriptCharacters: number;
  /** Channels this one hands messages to (Channel Writers), and the channels that feed it. */
  feeds: string[];
  fedBy: string[];
  criticality: Criticality;
  criticalityReason: string;
  file: string;
}

export interface PortfolioAssessment {
  interfaces: AssessedInterface[];
  /** The same address used by more than one channel: listeners in conflict, or one receiver fed by several point-to-point channels. */
  duplicatedEndpoints: Array<{ address: string; use: 'listen' | 'read' | 'send' | 'write'; channels: string[] }>;
  deadChannels: Array<{ channel: string; reason: string }>;
  /** Channel → Channel Writer → channel … paths that one canonical route would replace. */
  chains: Array<{ channels: string[] }>;
  findings: MirthFinding[];
}

const HL7_TYPES = /\b(ADT|ORU|ORM|OML|SIU|DFT|MDM|RDE|RDS|VXU|BAR|MFN|ACK|QRY|RSP|PPR)\b/g;

/** Why a message type matters to a hospital, and how much. */
const TYPE_CRITICALITY: Record<string, [Criticality, string]> = {
  ADT: ['critical', 'ADT carries patient identity and location that every downstream system depends on'],
  ORM: ['high', 'orders'], OML: ['high', 'lab orders'], ORU: ['high', 'results reach clinicians'],
  RDE: ['high', 'pharmacy orders'], RDS: ['high', 'pharmacy dispenses'], DFT: ['high', 'charges (revenue)'], BAR: ['high', 'billing accounts (revenue)'],
  SIU: ['medium', 'scheduling'], MDM: ['medium', 'documents'], VXU: ['medium', 'immunizations'], MFN: ['medium', 'master files'],
};
const RANK: Criticality[] = ['low', 'medium', 'high', 'critical'];

function messageTypesOf(channel: MirthChannel): string[] {
  const types = new Set<string>();
  const rules = [channel.source, ...channel.destinations].flatMap((c) => c.filter);
  for (const rule of rules) {
    if (rule.rule && /MSH\.9/.test(rule.rule.field) && rule.rule.condition === 'EQUALS') for (const v of rule.rule.values) if (/^[A-Z]{3}$/.test(v)) types.add(v);
  }
  const sampleType = /^MSH\|[^\r\n]*/.exec(channel.source.inboundTemplate ?? '')?.[0].split('|')[8]?.split('^')[0];
  if (sampleType && /^[A-Z]{3}$/.test(sampleType)) types.add(sampleType);
  for (const m of `${channel.name} ${channel.description}`.toUpperCase().matchAll(HL7_TYPES)) if (m[1] !== 'ACK') types.add(m[1]!);
  return [...types].sort();
}

function guessCriticality(channel: MirthChannel, types: string[], live: boolean): [Criticality, string] {
  if (!live) return ['low', 'disabled or stopped at deploy'];
  let best: [Criticality, string] = ['medium', 'no message type recognized: review by hand'];
  for (const t of types) {
    const c = TYPE_CRITICALITY[t];
    if (c && RANK.indexOf(c[0]) > RANK.indexOf(best[0])) best = [c[0], `${t}: ${c[1]}`];
  }
  const outbound = channel.destinations.filter((d) => d.enabled).length;
  if (outbound >= 3 && best[0] !== 'critical') {
    best = [RANK[RANK.indexOf(best[0]) + 1]!, `${best[1]}; fans out to ${outbound} destinations`];
  }
  return best;
}

const isScript = (s: MirthStep) => s.scriptSize > 0 && s.kind !== 'mapper' && s.kind !== 'message-builder';

function assessOne(channel: MirthChannel, byId: Map<string, MirthChannel>, fedBy: Map<string, string[]>): AssessedInterface {
  const connectors: MirthConnector[] = [channel.source, ...channel.destinations];
  const steps = connectors.flatMap((c) => [...c.filter, ...c.transformer]);
  const channelScripts = Object.values(channel.scriptSizes).filter((n) => n > 0);
  const live = channel.enabled && channel.initialState !== 'STOPPED';
  const types = messageTypesOf(channel);
  const [criticality, criticalityReason] = guessCriticality(channel, types, live);
  return {
    channel: channel.name, id: channel.id, description: channel.description, enabled: channel.enabled, initialState: channel.initialState,
    source: { transport: channel.source.transport, protocol: protocolOf(channel.source.endpoint), address: endpointAddress(channel.source.endpoint) },
    destinations: channel.destinations.map((d) => ({
      name: d.name, transport: d.transport, protocol: protocolOf(d.endpoint), enabled: d.enabled,
      address: d.endpoint.kind === 'channel-writer' ? `channel:${byId.get(d.endpoint.channelId)?.name ?? d.endpoint.channelId}` : endpointAddress(d.endpoint),
    })),
    dataTypes: { inbound: channel.source.inboundDataType, outbound: channel.source.outboundDataType },
    messageTypes: types,
    filterRules: connectors.reduce((n, c) => n + c.filter.length, 0),
    transformerSteps: connectors.reduce((n, c) => n + c.transformer.length, 0),
    scriptSteps: steps.filter(isScript).length + channelScripts.length,
    scriptCharacters: steps.filter(isScript).reduce((n, s) => n + s.scriptSize, 0) + channelScripts.reduce((n, s) => n + s, 0)
      + connectors.reduce((n, c) => n + (c.endpoint.kind === 'javascript' ? c.endpoint.script.length : 0), 0),
    feeds: channel.destinations.flatMap((d) => (d.endpoint.kind === 'channel-writer' ? [byId.get(d.endpoint.channelId)?.name ?? d.endpoint.channelId] : [])),
    fedBy: fedBy.get(channel.id) ?? [],
    criticality, criticalityReason, file: channel.file,
  };
}

/**
 * The integration portfolio assessment of a Mirth estate (the seed's first roadmap step): each
 * channel as a catalog interface with protocol, endpoints, data and message types, script weight,
 * dependencies and a criticality guess; and what one canonical route would simplify: endpoints
 * used by several channels, dead channels and channel-to-channel chains.
 *
 * @example
 * const report = assessMirthEstate(parseMirthExport(xml, 'backup.xml'));
 * report.chains; // [{ channels: ['ADT Inbound', 'ADT to Billing', 'Fax Out'] }]
 */
export function assessMirthEstate(estate: MirthExport): PortfolioAssessment {
  const byId = new Map(estate.channels.map((c) => [c.id, c]));
  const fedBy = new Map<string, string[]>();
  for (const c of estate.channels) {
    for (const d of c.destinations) if (d.endpoint.kind === 'channel-writer' && d.enabled) fedBy.set(d.endpoint.channelId, [...(fedBy.get(d.endpoint.channelId) ?? []), c.name]);
  }
  const interfaces = estate.channels.map((c) => assessOne(c, byId, fedBy));

  const uses = new Map<string, { address: string; use: 'listen' | 'read' | 'send' | 'write'; channels: Set<string> }>();
  const record = (address: string, use: 'listen' | 'read' | 'send' | 'write', channel: string) => {
    const key = `${use} ${address}`;
    const entry = uses.get(key) ?? { address, use, channels: new Set<string>() };
    entry.channels.add(channel);
    uses.set(key, entry);
  };
  for (const c of estate.channels) {
    const s = c.source.endpoint;
    if (s.kind === 'tcp-listener' || s.kind === 'http-listener') record(endpointAddress(s), 'listen', c.name);
    else if (s.kind === 'file-reader' || s.kind === 'database-reader') record(endpointAddress(s), 'read', c.name);
    for (const d of c.destinations) {
      const e = d.endpoint;
      if (e.kind === 'tcp-sender' || e.kind === 'http-sender') record(endpointAddress(e), 'send', c.name);
      else if (e.kind === 'file-writer' || e.kind === 'database-writer') record(endpointAddress(e), 'write', c.name);
    }
  }
  const duplicatedEndpoints = [...uses.values()].filter((u) => u.channels.size > 1).map((u) => ({ address: u.address, use: u.use, channels: [...u.channels].sort() }));

  const deadChannels = estate.channels.flatMap((c) => {
    if (!c.enabled) return [{ channel: c.name, reason: 'disabled' }];
    if (c.initialState === 'STOPPED') return [{ channel: c.name, reason: 'stopped at deploy' }];
    if (c.destinations.every((d) => !d.enabled)) return [{ channel: c.name, reason: 'no enabled destination' }];
    if (c.source.endpoint.kind === 'channel-reader' && !fedBy.has(c.id)) return [{ channel: c.name, reason: 'a Channel Reader no channel writes to' }];
    return [];
  });

  const chains: Array<{ channels: string[] }> = [];
  const next = (c: MirthChannel) => c.destinations.flatMap((d) => (d.endpoint.kind === 'channel-writer' && d.enabled && byId.has(d.endpoint.channelId) ? [byId.get(d.endpoint.channelId)!] : []));
  const walk = (c: MirthChannel, path: MirthChannel[]) => {
    const after = next(c).filter((n) => !path.includes(n)); // a cycle ends the chain
    if (after.length === 0) {
      if (path.length > 1) chains.push({ channels: path.map((p) => p.name) });
      return;
    }
    for (const n of after) walk(n, [...path, n]);
  };
  for (const c of estate.channels) if (!fedBy.has(c.id)) walk(c, [c]);

  return { interfaces, duplicatedEndpoints, deadChannels, chains, findings: estate.findings };
}
