import type { NewRelease, Release, ReleaseSummary } from './types.js';

export interface ReleaseRowRaw {
  version: number;
  hash: string;
  at: string;
  actor: string;
  reason: Release['reason'];
  file: string | null;
  text?: string;
  crosswalks: string;
  rolled_back_to: number | null;
}

export const INSERT_COLUMNS = '(version, hash, at, actor, reason, file, text, crosswalks, rolled_back_to)';
export const SUMMARY_COLUMNS = 'version, hash, at, actor, reason, file, crosswalks, rolled_back_to';

export function toSummary(r: ReleaseRowRaw): ReleaseSummary {
  return {
    version: Number(r.version), hash: r.hash, at: r.at, actor: r.actor, reason: r.reason,
    ...(r.file !== null ? { file: r.file } : {}),
    crosswalks: JSON.parse(r.crosswalks) as Record<string, string>,
    ...(r.rolled_back_to !== null ? { rolledBackTo: Number(r.rolled_back_to) } : {}),
  };
}

export function toRelease(r: ReleaseRowRaw): Release {
  return { ...toSummary(r), text: r.text ?? '' };
}

export function toValues(version: number, r: NewRelease & { hash: string; at: string }): Array<string | number | null> {
  return [version, r.hash, r.at, r.actor, r.reason, r.file ?? null, r.text, JSON.stringify(sorted(r.crosswalks)), r.rolledBackTo ?? null];
}

/** Nothing changed since `latest`: same text and the same crosswalk versions. */
export function unchanged(latest: Release, next: { hash: string; crosswalks: Record<string, string> }): boolean {
  return latest.hash === next.hash && JSON.stringify(sorted(latest.crosswalks)) === JSON.stringify(sorted(next.crosswalks));
}

function sorted(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? 50, 1), 500);
}
