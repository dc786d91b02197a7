import type { ProcessStatus } from '../api.js';

/** Badge tones for process statuses: open is normal work, waiting needs time or an event, exception needs a person. */
export const PROCESS_TONE: Record<ProcessStatus, string> = { open: 'info', waiting: 'warn', completed: 'ok', exception: 'bad' };

/** Epoch ms (the process store's clock) → ISO, for shortTime; undefined stays undefined. */
export function msToIso(ms: number | undefined): string | undefined {
  return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** State as readable JSON; a value JSON cannot hold is shown as its string. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
