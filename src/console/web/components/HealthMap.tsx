import type { Channel } from '../api.js';
import { channelHealth, destinationHealth, worst, type Health } from '../health.js';
import { href } from '../router.js';

interface Node {
  id: string;
  label: string;
  sub: string;
  health: Health;
  link?: string;
}

const COL_X = [4, 244, 484];
const NODE_W = 182;
const NODE_H = 34;
const GAP = 12;

/**
 * Interface health map of the estate: source systems → channels → destinations, each node
 * coloured ok / degraded / down. Source systems take the worst health of their channels.
 *
 * @example
 * <HealthMap channels={channels} />
 */
export function HealthMap({ channels }: { channels: Channel[] }) {
  const systems = new Map<string, Node>();
  const dests = new Map<string, Node>();
  const edges: [string, string][] = [];
  const chanNodes: Node[] = channels.map((ch) => {
    const health = channelHealth(ch);
    const sysId = `sys:${ch.sourceSystem}`;
    const prev = systems.get(sysId);
    systems.set(sysId, {
      id: sysId,
      label: ch.sourceSystem,
      sub: 'system',
      health: worst([prev?.health ?? 'ok', health]),
    });
    edges.push([sysId, `ch:${ch.name}`]);
    for (const d of ch.destinations) {
      const dId = `dst:${d.name}`;
      const prevD = dests.get(dId);
      dests.set(dId, {
        id: dId,
        label: d.name,
        sub: `${d.kind} · circuit ${d.circuit}`,
        health: worst([prevD?.health ?? 'ok', destinationHealth(d)]),
      });
      edges.push([`ch:${ch.name}`, dId]);
    }
    return {
      id: `ch:${ch.name}`,
      label: ch.name,
      sub: `${ch.inbound.kind} · ${ch.status}`,
      health,
      link: href('channels'),
    };
  });
  const cols = [[...systems.values()], chanNodes, [...dests.values()]];
  const rows = Math.max(1, ...cols.map((c) => c.length));
  const height = rows * (NODE_H + GAP) + 24;
  const pos = new Map<string, { x: number; y: number }>();
  cols.forEach((col, ci) => {
    // Centre shorter columns vertically so edges fan out evenly.
    const offset = ((rows - col.length) * (NODE_H + GAP)) / 2 + 20;
    col.forEach((node, ri) => pos.set(node.id, { x: COL_X[ci] ?? 0, y: offset + ri * (NODE_H + GAP) }));
  });

  return (
    <svg class="healthmap" viewBox={`0 0 ${COL_X[2]! + NODE_W + 4} ${height}`} role="img" aria-label="Interface health map">
      {['Source systems', 'Channels', 'Destinations'].map((t, i) => (
        <text key={t} class="colhead" x={COL_X[i]} y={12}>{t}</text>
      ))}
      {edges.map(([a, b]) => {
        const p = pos.get(a);
        const q = pos.get(b);
        if (!p || !q) return null;
        const x1 = p.x + NODE_W;
        const y1 = p.y + NODE_H / 2;
        const x2 = q.x;
        const y2 = q.y + NODE_H / 2;
        const mx = (x1 + x2) / 2;
        return <path key={`${a}>${b}`} class="edge" d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`} />;
      })}
      {cols.flat().map((node) => {
        const p = pos.get(node.id)!;
        const body = (
          <g class={`node ${node.health}`} data-node={node.id} data-health={node.health} transform={`translate(${p.x},${p.y})`}>
            <title>{`${node.label}: ${node.health}`}</title>
            <rect width={NODE_W} height={NODE_H} rx={4} />
            <circle cx={12} cy={NODE_H / 2} r={5} />
            <text class="label" x={24} y={14}>{node.label}</text>
            <text class="sub" x={24} y={27}>{node.sub}</text>
          </g>
        );
        return node.link ? <a key={node.id} href={node.link}>{body}</a> : <g key={node.id}>{body}</g>;
      })}
    </svg>
  );
}
