import { useEffect, useRef, useState } from 'preact/hooks';

export interface Series {
  name: string;
  /** CSS colour of the line and legend swatch. */
  color: string;
  /** One per time; null is a gap (no data in that bucket), drawn as a break in the line. */
  values: (number | null)[];
}

export interface LineChartProps {
  /** ISO times of the buckets, one per value. */
  times: string[];
  series: Series[];
  height?: number;
  label: string;
  /** Fixed top of the y axis (100 for percentages); default: the data's maximum, rounded up. */
  yMax?: number;
  /** Axis and legend text for a value, e.g. `(v) => \`${v} ms\``. */
  format?: (v: number) => string;
  /** Counts: y ticks at whole numbers only. */
  integer?: boolean;
}

const PAD = { left: 40, right: 12, top: 10, bottom: 22 };
/** Axis text is 10 px: about 6 px a character. */
const CHAR_PX = 6;

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

/** Runs of consecutive non-null values (index of the first, values): one polyline each. */
export function segments(values: (number | null)[]): { start: number; points: number[] }[] {
  const out: { start: number; points: number[] }[] = [];
  let run: { start: number; points: number[] } | undefined;
  values.forEach((v, i) => {
    if (v === null) run = undefined;
    else if (run) run.points.push(v);
    else out.push((run = { start: i, points: [v] }));
  });
  return out;
}

/** The newest value, or "—" when the newest bucket has no data. */
function lastValue(values: (number | null)[], format: (v: number) => string): string {
  const v = values[values.length - 1];
  return v === null || v === undefined ? '—' : format(v);
}

const plain = (t: number) => (Number.isInteger(t) ? String(t) : t.toFixed(1));

/**
 * A small SVG line chart (no chart library): shared y axis from 0, four grid lines, time labels
 * at both ends and the middle. Null values are gaps; a lone point is drawn as a dot. `data-last`
 * carries the newest bucket (`<time> <v1>/<v2>…`, `-` for null) and `data-max` the largest value
 * drawn (empty without data), so tests can see updates.
 *
 * @example
 * <LineChart label="Throughput" times={ts} series={[{ name: 'received', color: '#2f6f9f', values }]} />
 */
export function LineChart({ times, series, height = 180, label, yMax, format = plain, integer = false }: LineChartProps) {
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
  const data = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  // Four equal steps of a round size (1, 2 or 5 × 10ⁿ), so every tick label reads well.
  const step = yMax === undefined ? Math.max(integer ? 1 : 0, niceMax(Math.max(0, ...data) / 4)) : yMax / 4;
  const max = step * 4;
  const ticks = [0, 1, 2, 3, 4].map((k) => Math.round(k * step * 1e6) / 1e6);
  const left = Math.max(PAD.left, Math.max(...ticks.map((t) => format(t).length)) * CHAR_PX + 10);
  const innerW = W - left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const n = times.length;
  const x = (i: number) => left + (n <= 1 ? innerW : (i / (n - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const last = n > 0 ? `${times[n - 1]} ${series.map((s) => s.values[n - 1] ?? '-').join('/')}` : '';

  return (
    <figure class="chart" ref={box} data-chart={label} data-points={n} data-last={last} data-max={data.length ? Math.max(...data) : ''}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label}>
        {ticks.map((t) => (
          <g key={t}>
            <line class="grid" x1={left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text class="axis" x={left - 6} y={y(t) + 3} text-anchor="end">
              {format(t)}
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
          <g key={s.name} data-series={s.name}>
            {segments(s.values).map(({ start, points }) =>
              points.length === 1 ? (
                <circle key={start} class="dot" cx={x(start)} cy={y(points[0] ?? 0)} r={2.5} fill={s.color} />
              ) : (
                <polyline
                  key={start}
                  class="line"
                  fill="none"
                  stroke={s.color}
                  points={points.map((v, k) => `${x(start + k).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
                />
              ),
            )}
          </g>
        ))}
      </svg>
      <figcaption class="legend">
        {series.map((s) => (
          <span key={s.name}>
            <i style={{ background: s.color }} />
            {s.name} <b>{lastValue(s.values, format)}</b>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
