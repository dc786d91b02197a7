import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { layoutCatalog, type CatalogEntry, type CatalogImpact } from '../catalog-layout.js';
import { Empty, ErrorLine } from '../components/Feedback.js';
import { usePoll } from '../poll.js';

const COL_W = 200;
const NODE_W = 176;
const NODE_H = 34;
const GAP = 12;

type State = 'ok' | 'degraded' | 'down';

/** The dependency map: each node coloured by what happens to it while the chosen system is down. */
function DependencyMap({ entries, impact }: { entries: CatalogEntry[]; impact?: CatalogImpact }) {
  const map = layoutCatalog(entries);
  const state = (id: string): State => {
    if (!impact) return 'ok';
    if (id === `system:${impact.system}` || impact.stopped.some((s) => s.id === id)) return 'down';
    return impact.degraded.some((s) => s.id === id) ? 'degraded' : 'ok';
  };
  const reason = (id: string) => impact?.stopped.find((s) => s.id === id)?.reason ?? impact?.degraded.find((s) => s.id === id)?.reason;
  const rows = Math.max(1, ...map.columns.map((_, c) => map.nodes.filter((n) => n.column === c).length));
  const height = rows * (NODE_H + GAP) + 28;
  const pos = new Map(map.nodes.map((n) => [n.key, { x: 4 + n.column * COL_W, y: 22 + n.row * (NODE_H + GAP) }]));
  return (
    <svg class="healthmap catalogmap" viewBox={`0 0 ${map.columns.length * COL_W} ${height}`} role="img" aria-label="Interface dependency map">
      {map.columns.map((t, i) => <text key={t} class="colhead" x={4 + i * COL_W} y={12}>{t}</text>)}
      {map.edges.map(([a, b]) => {
        const p = pos.get(a);
        const q = pos.get(b);
        if (!p || !q) return null;
        const [x1, y1, x2, y2] = [p.x + NODE_W, p.y + NODE_H / 2, q.x, q.y + NODE_H / 2];
        const mx = (x1 + x2) / 2;
        return <path key={`${a}>${b}`} class="edge" d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`} />;
      })}
      {map.nodes.map((n) => {
        const p = pos.get(n.key)!;
        const s = state(n.id);
        return (
          <g key={n.key} class={`node ${s}`} data-node={n.key} data-state={s} transform={`translate(${p.x},${p.y})`}>
            <title>{reason(n.id) ? `${n.label}: ${reason(n.id)}` : n.label}</title>
            <rect width={NODE_W} height={NODE_H} rx={4} />
            <circle cx={12} cy={NODE_H / 2} r={5} />
            <text class="label" x={24} y={14}>{n.label}</text>
            <text class="sub" x={24} y={27}>{n.sub}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** Interface catalog: the dependency map ("what stops if X is down?") and every entry with owner, criticality, data classes and SLA. */
export function Catalog() {
  const [down, setDown] = useState<string | undefined>(undefined);
  const { data, error } = usePoll(() => api.catalog(down), 10_000, `catalog:${down ?? ''}`);
  const systems = (data?.entries ?? []).filter((e) => e.kind === 'system');
  return (
    <div class="page">
      <header class="page-head">
        <h1>Interface catalog</h1>
      </header>
      <ErrorLine error={error} />
      {data && data.entries.length === 0 && <Empty>No interfaces: the config declares no systems or channels.</Empty>}
      {data && data.entries.length > 0 && (
        <>
          <section aria-label="What stops if a system is down">
            <p class="downpick">
              What stops if this system is down?{' '}
              {systems.map((s) => (
                <button key={s.id} type="button" class={down === s.name ? 'active' : ''} aria-pressed={down === s.name} onClick={() => setDown(down === s.name ? undefined : s.name)}>{s.name}</button>
              ))}
            </p>
            {data.impact && (
              <p class="impact" data-impact={data.impact.system}>
                {data.impact.stopped.length} stop, {data.impact.degraded.length} degraded while <b>{data.impact.system}</b> is down.
              </p>
            )}
            <DependencyMap entries={data.entries} {...(data.impact ? { impact: data.impact } : {})} />
          </section>
          <table class="dense catalog">
            <thead><tr><th>Kind</th><th>Name</th><th>Owner</th><th>Protocol</th><th>Direction</th><th>Criticality</th><th>Data</th><th>SLA</th><th>Source</th></tr></thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.id} data-entry={e.id}>
                  <td>{e.kind}</td><td>{e.name}</td><td>{e.owner ?? '—'}</td><td>{e.protocol ?? '—'}</td><td>{e.direction ?? '—'}</td>
                  <td>{e.criticality ?? '—'}</td><td>{e.dataClasses.join(', ') || '—'}</td><td>{e.sla ?? '—'}</td><td>{e.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
