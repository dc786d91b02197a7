import { useEffect, useRef, useState } from 'preact/hooks';

export interface Series {
  name: string;
  /** CSS colour of the line and legend swatch. */
  color: string;
  values: number[];
}

export interface LineChartProps {
  /** ISO times of the buckets, one per value. */
  times: string[];
  series: Series[];
  height?: number;
  label: string;
}

const PAD = { left: 40, right: 12, top: 10, bottom: 22 };

/** Round a maximum up to 1, 2 or 5 times a power of ten, so axis ticks read well. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  const m = max / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function hhmm(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/**
 * A small SVG line chart (no chart library): shared y axis from 0, four grid lines, time labels
 * at both ends and the middle. `data-last` carries the newest bucket so tests can see updates.
 *
 * @example
 * <LineChart label="Throughput" times={ts} series={[{ name: 'received', color: '#2f6f9f', values }]} />
 */
export function LineChart({ times, series, height = 180, label }: LineChartProps) {
  // Draw in real pixels (width measured from the container) so text and strokes never stretch.
  const box = useRef<HTMLElement>(null);
  const [W, setW] = useState(720);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setW(Math.max(240, Math.round(el.clientWidth)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const H = height;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const n = times.length;
  const x = (i: number) => PAD.left + (n <= 1 ? innerW : (i / (n - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const last = n > 0 ? `${times[n - 1]} ${series.map((s) => s.values[n - 1] ?? 0).join('/')}` : '';

  return (
    <figure class="chart" ref={box} data-points={n} data-last={last}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label}>
        {ticks.map((t) => (
          <g key={t}>
            <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text class="axis" x={PAD.left - 6} y={y(t) + 3} text-anchor="end">
              {Number.isInteger(t) ? t : t.toFixed(1)}
            </text>
          </g>
        ))}
        {n > 0 && (
          <>
            <text class="axis" x={x(0)} y={H - 6} text-anchor="start">{hhmm(times[0])}</text>
            <text class="axis" x={x(Math.floor((n - 1) / 2))} y={H - 6} text-anchor="middle">
              {hhmm(times[Math.floor((n - 1) / 2)])}
            </text>
            <text class="axis" x={x(n - 1)} y={H - 6} text-anchor="end">{hhmm(times[n - 1])}</text>
          </>
        )}
        {series.map((s) => (
          <polyline
            key={s.name}
            class="line"
            data-series={s.name}
            fill="none"
            stroke={s.color}
            points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption class="legend">
        {series.map((s) => (
          <span key={s.name}>
            <i style={{ background: s.color }} />
            {s.name} <b>{s.values[n - 1] ?? 0}</b>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
