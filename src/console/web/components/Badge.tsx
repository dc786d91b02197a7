/** Status words the console colours; anything else renders neutral. */
const TONE: Record<string, string> = {
  ok: 'ok', running: 'ok', processed: 'ok', delivered: 'ok', closed: 'ok', succeeded: 'ok', done: 'ok',
  degraded: 'warn', paused: 'warn', 'half-open': 'warn', pending: 'warn', retrying: 'warn', duplicate: 'muted', received: 'info',
  warning: 'warn', firing: 'bad', critical: 'bad', resolved: 'ok', info: 'info', replayed: 'info', silenced: 'muted', 'notify-failed': 'bad',
  down: 'bad', open: 'bad', failed: 'bad', rejected: 'bad', 'dead-lettered': 'bad', dead: 'bad', error: 'bad',
};

/**
 * A small coloured status label; `tone` overrides the default colour where a word means
 * something else (a process instance "open" is normal work, not an open circuit).
 *
 * @example
 * <Badge value="paused" />
 */
export function Badge({ value, tone }: { value: string; tone?: string }) {
  return <span class={`badge ${tone ?? TONE[value] ?? 'muted'}`}>{value}</span>;
}
