/**
 * Layout of the interface catalog's dependency map (pure, so it is unit-tested without a browser):
 * sending systems → channels by depth (a channel fed by channels sits right of its feeders) →
 * outbound destinations → receiving systems.
 */

/** A catalog entry as `GET /api/v1/catalog` answers it. */
export interface CatalogEntry {
  id: string;
  kind: 'system' | 'channel' | 'destination' | 'process';
  name: string;
  source: string;
  description?: string;
  owner?: string;
  protocol?: string;
  direction?: 'inbound' | 'outbound' | 'internal';
  criticality?: string;
  dataClasses: string[];
  sla?: string;
  dependsOn: string[];
  fedBy: string[];
}

export interface CatalogImpact {
  system: string;
  stopped: Array<{ id: string; reason: string }>;
  degraded: Array<{ id: string; reason: string }>;
}

export interface MapNode {
  /** Unique per column: a system may send (left) and receive (right). */
  key: string;
  id: string;
  label: string;
  sub: string;
  column: number;
  row: number;
}

export interface CatalogMap {
  columns: string[];
  nodes: MapNode[];
  edges: Array<[string, string]>;
}

/**
 * Place the entries in columns and connect them.
 *
 * @example layoutCatalog(entries).columns // ['Sending systems', 'Channels', 'Channels (fed by channels)', 'Destinations', 'Receiving systems']
 */
export function layoutCatalog(entries: readonly CatalogEntry[]): CatalogMap {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const channels = entries.filter((e) => e.kind === 'channel');
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string> = new Set()): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const e = byId.get(id);
    if (!e || seen.has(id)) return 0;
    seen.add(id);
    const d = e.fedBy.length === 0 ? 0 : 1 + Math.max(...e.fedBy.map((f) => depthOf(f, seen)));
    depth.set(id, d);
    return d;
  };
  channels.forEach((c) => depthOf(c.id));
  const maxDepth = Math.max(0, ...depth.values());
  const destinations = entries.filter((e) => e.kind === 'destination' && e.protocol !== 'channel');
  const isSystem = (id: string) => byId.get(id)?.kind === 'system' || id.startsWith('system:');
  const senders = new Set(channels.flatMap((c) => c.dependsOn.filter(isSystem)));
  const receivers = new Set(destinations.flatMap((d) => d.dependsOn.filter(isSystem)));
  const columns = ['Sending systems', ...Array.from({ length: maxDepth + 1 }, (_, i) => (i === 0 ? 'Channels' : i === 1 ? 'Channels (fed by channels)' : `Channels (depth ${i})`)), 'Destinations', 'Receiving systems'];
  const destCol = maxDepth + 2;
  const nodes: MapNode[] = [];
  const rows = new Map<number, number>();
  const place = (key: string, id: string, label: string, sub: string, column: number) => {
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    nodes.push({ key, id, label, sub, column, row });
  };
  const systemLabel = (id: string) => byId.get(id)?.name ?? id.replace(/^system:/, '');
  for (const id of senders) place(`send:${id}`, id, systemLabel(id), byId.get(id)?.owner ?? 'system', 0);
  for (const c of [...channels].sort((a, b) => (depth.get(a.id) ?? 0) - (depth.get(b.id) ?? 0))) {
    place(c.id, c.id, c.name, [c.protocol, c.dataClasses.join(' ')].filter(Boolean).join(' · '), 1 + (depth.get(c.id) ?? 0));
  }
  for (const d of destinations) place(d.id, d.id, d.name.split('/').pop() ?? d.name, [d.protocol, d.name.split('/')[0]].filter(Boolean).join(' · '), destCol);
  for (const id of receivers) place(`recv:${id}`, id, systemLabel(id), byId.get(id)?.owner ?? 'system', destCol + 1);
  const edges: Array<[string, string]> = [];
  for (const c of channels) {
    for (const dep of c.dependsOn) if (senders.has(dep)) edges.push([`send:${dep}`, c.id]);
    for (const feeder of c.fedBy) if (byId.has(feeder)) edges.push([feeder, c.id]);
  }
  for (const d of destinations) {
    for (const dep of d.dependsOn) {
      if (receivers.has(dep)) edges.push([d.id, `recv:${dep}`]);
      else if (byId.get(dep)?.kind === 'channel') edges.push([dep, d.id]);
    }
  }
  return { columns, nodes, edges };
}
