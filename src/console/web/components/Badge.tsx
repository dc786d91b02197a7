/** Status words the console colours; anything else renders neutral. */
const TONE: Record<string, string> = {
  ok: 'ok', running: 'ok', processed: 'ok', delivered: 'ok', closed: 'ok', succeeded: 'ok', done: 'ok',
  degraded: 'warn', paused: 'warn', 'half-open': 'warn', pending: 'warn', retrying: 'warn', duplicate: 'muted', received: 'info',
  warning: 'warn', firing: 'bad', critical: 'bad', resolved: 'ok', info: 'info', replayed: 'info', silenced: 'muted', 'notify-failed': 'bad',
  down: 'bad', open: 'bad', failed: 'bad', rejected: 'bad', 'dead-lettered': 'bad', dead: 'bad', error: 'bad',
};

/**
 * A small coloured status label.
 *
 * @example
 * <Badge value="paused" />
 */
export function Badge({ value }: { value: string }) {
  return <span class={`badge ${TONE[value] ?? 'muted'}`}>{value}</span>;
}
