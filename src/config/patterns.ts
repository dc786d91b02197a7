import { z } from 'zod';
import { DURATION_PATTERN, SIZE_PATTERN, parseDuration, parseSize } from './units.js';

/**
 * String formats of the config file. Each regex is registered with its error code and the
 * words "expected ..." so a failed match becomes a precise LoomError instead of zod's
 * "must match pattern /.../".
 */
export interface PatternInfo {
  code: string;
  expected: string;
}

const registry = new Map<string, PatternInfo>();

function patterned(pattern: RegExp, info: PatternInfo): z.ZodString {
  registry.set(String(pattern), info);
  return z.string().regex(pattern);
}

/** Look up the error code and expectation of a regex that failed (keyed by `String(regex)`). */
export function patternInfo(pattern: string | undefined): PatternInfo | undefined {
  return pattern === undefined ? undefined : registry.get(pattern);
}

export const KEBAB_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Channel, system and destination names: kebab-case, used in URLs, metrics and CLI args. */
export const KebabName = patterned(KEBAB_PATTERN, {
  code: 'config.name.invalid',
  expected: 'a kebab-case name like "ehr-adt" (lowercase letters, digits, single dashes)',
});

/** `24h`, `15m`, `1h30m`, `500ms`; parsed to milliseconds. */
export const Duration = patterned(DURATION_PATTERN, {
  code: 'config.duration.invalid',
  expected: 'a duration like 24h, 15m, 30s, 500ms or 1h30m',
}).transform((text) => parseDuration(text) ?? 0);

const SizeText = patterned(SIZE_PATTERN, {
  code: 'config.size.invalid',
  expected: 'a size like 1mb, 512kb or a whole number of bytes',
});

/** `1mb`, `512kb` or an integer of bytes; parsed to bytes (1024-based). */
export const Size = z
  .union([z.number().int().nonnegative(), SizeText])
  .transform((value) => parseSize(value) ?? 0);

/** TCP port; 0 lets the OS choose (tests). */
export const Port = z.number().int().min(0).max(65535);
