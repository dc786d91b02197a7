/**
 * Duration and size strings of the config file (`24h`, `15m`, `500ms`, `1mb`).
 * Kept apart from the schema so the engine and the CLI can parse the same notation.
 */

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** One or more `<integer><unit>` groups: `24h`, `1h30m`, `500ms`. */
export const DURATION_PATTERN = /^(\d+(ms|s|m|h|d|w))+$/;

/** Integer bytes or `<number><unit>` with 1024-based units: `1mb`, `512kb`, `1.5gb`. */
export const SIZE_PATTERN = /^\d+(\.\d+)?\s*(b|kb|mb|gb)$/i;

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * Parse a duration string to milliseconds; `undefined` when it is not one.
 *
 * @example parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION_PATTERN.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) {
    total += Number(match[1]) * DURATION_UNITS[match[2]];
  }
  return total;
}

/**
 * Parse a size (`1mb`, `64kb`, or a bare integer of bytes) to bytes; `undefined` when it is not one.
 *
 * @example parseSize('1mb') // 1_048_576
 */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)$/i.exec(value.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()]);
}
