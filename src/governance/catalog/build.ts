import type { LoomConfig } from '../../config/schema.js';
import type { CatalogOverrides } from '../config.js';
import type { CatalogEntry, Direction } from './types.js';

/** The parts of a loaded config the catalog reads. */
export type CatalogConfig = Pick<LoomConfig, 'systems' | 'channels' | 'slas' | 'processes' | 'governance'>;

// Wire formats that carry patient data unless the governance section says otherwise (HIPAA-covered payloads).
const PHI_FORMATS = new Set(['hl7v2', 'fhir']);
// X12 in this estate is purchasing and payment (850/855/856/810/820).
const FINANCIAL_FORMATS = new Set(['x12']);

const systemId = (name: string): string => (name.includes(':') ? name : `system:${name}`);

/**
 * The interface catalog of a config: every system, channel, destination and process with owner,
 * protocol, direction, criticality, data classes, SLA and dependencies. Channels inherit owner and
 * criticality from their source system, data classes from their format; `governance.catalog`
 * fills in or overrides any field. Pure.
 *
 * @example catalogFromConfig(loaded.config).find((e) => e.id === 'channel:ehr-hl7')?.dataClasses // ['PHI']
 */
export function catalogFromConfig(config: CatalogConfig): CatalogEntry[] {
  const overrides: CatalogOverrides = config.governance?.catalog ?? { channels: {}, destinations: {}, systems: {}, processes: {} };
  const slas = slaTexts(config.slas);
  const systems = new Map(config.systems.map((s) => [s.name, s]));
  const feeders = new Map<string, string[]>();
  for (const channel of config.channels) {
    for (const d of channel.destinations) {
      const target = d.kind === 'channel' ? stringOption(d.options, 'target') : undefined;
      if (target) feeders.set(target, [...(feeders.get(target) ?? []), `channel:${channel.name}`]);
    }
  }
  const entries: CatalogEntry[] = [];
  for (const s of config.systems) {
    const o = overrides.systems[s.name] ?? {};
    entries.push(entry({ id: `system:${s.name}`, kind: 'system', name: s.name, owner: s.owner, criticality: s.criticality, ...(s.description ? { description: s.description } : {}) }, o));
  }
  for (const channel of config.channels) {
    const source = channel.source ? systems.get(channel.source) : undefined;
    const internal = channel.inbound.kind === 'channel';
    const classes = PHI_FORMATS.has(channel.contentType) ? ['PHI'] : FINANCIAL_FORMATS.has(channel.contentType) ? ['financial'] : [];
    const o = overrides.channels[channel.name] ?? {};
    entries.push(entry({
      id: `channel:${channel.name}`, kind: 'channel', name: channel.name, protocol: channel.inbound.kind, direction: internal ? 'internal' : 'inbound',
      ...(channel.description ? { description: channel.description } : {}),
      ...(source ? { owner: source.owner, criticality: source.criticality } : {}),
      dataClasses: classes,
      ...(slas.get(`channel:${channel.name}`) ? { sla: slas.get(`channel:${channel.name}`) } : {}),
      // An internal channel runs on what feeds it; an external one on its sending system.
      dependsOn: !internal && channel.source ? [systemId(channel.source)] : [],
      fedBy: internal ? feeders.get(channel.name) ?? [] : [],
    }, o));
    for (const d of channel.destinations) {
      const key = `${channel.name}/${d.name}`;
      const od = overrides.destinations[key] ?? {};
      const target = od.system ? systems.get(od.system) : undefined;
      const direction: Direction = d.kind === 'channel' || d.kind === 'fhir-store' ? 'internal' : 'outbound';
      const { system: _system, ...fields } = od;
      entries.push(entry({
        id: `destination:${key}`, kind: 'destination', name: key, protocol: d.kind, direction,
        ...(target ? { owner: target.owner, criticality: target.criticality } : {}),
        dataClasses: classes,
        ...(slas.get(`destination:${key}`) ? { sla: slas.get(`destination:${key}`) } : {}),
        dependsOn: [`channel:${channel.name}`, ...(od.system ? [systemId(od.system)] : [])],
      }, fields));
    }
  }
  const processNames = new Set([...(config.processes ?? []).map((p) => p.name), ...Object.keys(overrides.processes), ...[...slas.keys()].filter((k) => k.startsWith('process:')).map((k) => k.slice(8))]);
  for (const name of [...processNames].sort()) {
    entries.push(entry({ id: `process:${name}`, kind: 'process', name, direction: 'internal', ...(slas.get(`process:${name}`) ? { sla: slas.get(`process:${name}`) } : {}) }, overrides.processes[name] ?? {}));
  }
  return entries;
}

type Fields = Partial<Pick<CatalogEntry, 'owner' | 'description' | 'criticality' | 'dataClasses' | 'sla' | 'dependsOn'>>;

/** The derived entry with the governance section's fields on top (dependsOn adds, it never removes). */
function entry(base: Partial<CatalogEntry> & Pick<CatalogEntry, 'id' | 'kind' | 'name'>, override: Fields): CatalogEntry {
  const { dependsOn, ...rest } = override;
  return {
    source: 'config', dataClasses: [], dependsOn: [], fedBy: [],
    ...base,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    ...(dependsOn ? { dependsOn: [...new Set([...(base.dependsOn ?? []), ...dependsOn.map(systemId)])] } : {}),
  };
}

/** `slas:` as one line per covered entry: "95 % within 15m (discharge-to-charge)". */
function slaTexts(slas: CatalogConfig['slas']): Map<string, string> {
  const out = new Map<string, string>();
  for (const sla of slas) {
    const raw = sla as Record<string, unknown>;
    const text = `${String(raw.target ?? '?')} % within ${String(raw.within ?? '?')} (${sla.name})`;
    const channel = typeof raw.channel === 'string' ? raw.channel : undefined;
    const destination = typeof raw.destination === 'string' ? raw.destination : undefined;
    if (typeof raw.process === 'string') out.set(`process:${raw.process}`, text);
    if (channel && destination) out.set(`destination:${channel}/${destination}`, text);
    else if (channel) out.set(`channel:${channel}`, text);
  }
  return out;
}

function stringOption(options: unknown, key: string): string | undefined {
  const value = options && typeof options === 'object' ? (options as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}
