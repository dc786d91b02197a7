/** `2026-11-26T00:44:36Z` → `00:44:36` today, else `11-26 00:44`. Local time, operators read clocks. */
export function shortTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return hms;
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hms}`;
}

/** Thousands separators, no decimals; "—" when the API did not report the number. */
export function num(n: number | undefined): string {
  return n === undefined ? '—' : Math.round(n).toLocaleString('en-US');
}

/** `0.0234` → `2.3%`. */
export function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}

/** A latency: `250` → `250 ms`, `5.5` → `5.5 ms`, `1500` → `1.5 s`, `90000` → `1.5 min`. */
export function ms(v: number): string {
  if (v < 1000) return `${Number.isInteger(v) ? v : v.toFixed(1)} ms`;
  if (v < 60_000) return `${(v / 1000).toFixed(v < 10_000 ? 1 : 0)} s`;
  return `${(v / 60_000).toFixed(1)} min`;
}
