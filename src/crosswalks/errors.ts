import { LoomError } from '../kernel/errors.js';
import type { CrosswalkRowError } from '../mappings/crosswalk.js';

/**
 * `crosswalk.csv.invalid`: a CSV import had bad rows, so no draft was created (all-or-nothing).
 * Still a LoomError; `rowErrors` carries every bad line for the API's problem+json `errors`.
 */
export class CrosswalkCsvInvalid extends LoomError {
  readonly rowErrors: CrosswalkRowError[];

  constructor(name: string, rowErrors: CrosswalkRowError[]) {
    const shown = rowErrors.slice(0, 5).map((e) => `line ${e.line}: ${e.message}`).join('; ');
    const more = rowErrors.length > 5 ? ` (and ${rowErrors.length - 5} more)` : '';
    super('crosswalk.csv.invalid', `crosswalk "${name}" CSV has ${rowErrors.length} invalid row(s), so no draft was created: ${shown}${more}`, {
      location: `line ${rowErrors[0]?.line ?? 0}`,
      hint: 'fix the listed lines and import the whole file again',
    });
    this.rowErrors = rowErrors;
  }
}

export function crosswalkUnknown(name: string): LoomError {
  return new LoomError('crosswalk.unknown', `no crosswalk named "${name}"`, { location: name, hint: 'import a CSV first: POST /api/v1/crosswalks/{name}/import' });
}

export function versionUnknown(name: string, version: string): LoomError {
  return new LoomError('crosswalk.version.unknown', `crosswalk "${name}" has no version "${version}"`, {
    location: `${name}@${version}`,
    hint: 'list the versions with GET /api/v1/crosswalks/{name}',
  });
}

export function versionExists(name: string, version: string): LoomError {
  return new LoomError('crosswalk.version.exists', `crosswalk "${name}" already has a version "${version}"`, {
    location: `${name}@${version}`,
    hint: 'choose another version, or leave it out to get the next number',
  });
}

export function versionPublished(name: string, version: string): LoomError {
  return new LoomError('crosswalk.version.published', `crosswalk "${name}" version "${version}" is published and cannot change`, {
    location: `${name}@${version}`,
    hint: 'start a new draft from it (POST /api/v1/crosswalks/{name}/drafts) and publish that',
  });
}

export function notEffective(name: string, date: string): LoomError {
  return new LoomError('crosswalk.not-effective', `crosswalk "${name}" has no published version in effect on ${date}`, {
    location: name,
    hint: 'publish a version whose effective date is on or before that day',
  });
}

export function invalidDate(value: string, location: string): LoomError {
  return new LoomError('crosswalk.date.invalid', `"${value}" is not an ISO date (YYYY-MM-DD)`, { location, hint: 'write the effective date as 2025-01-01' });
}
