import { LoomError } from '../kernel/errors.js';

/** A required source field is empty or absent: `mapping.field.missing` at its path. */
export function fieldMissing(location: string, what: string, hint: string): LoomError {
  return new LoomError('mapping.field.missing', `${what} (${location}) is empty or absent, so the message cannot be mapped`, { location, hint });
}

// Segments whose values identify a patient: their values never go into error messages (which end
// up in logs and dead-letter listings); the location is enough to find the value in the message.
const PHI_SEGMENTS = /^(PID|PD1|MRG|NK1|GT1|IN1|IN2|IN3|PV1-19|Patient)/;

/** A source field holds a value the mapping cannot read. */
export function fieldInvalid(location: string, what: string, value: string, hint: string, cause?: unknown): LoomError {
  const phi = PHI_SEGMENTS.test(location);
  const shown = phi ? 'a value (not shown: patient data)' : `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
  // the codec's cause repeats the value, so it is dropped for patient data
  return new LoomError('mapping.field.invalid', `${what} (${location}) holds ${shown}, which cannot be mapped`, { location, hint, ...(phi ? {} : { cause }) });
}

/** A code has no row in the crosswalk in effect. */
export function codeUnknown(location: string, table: string, code: string, version: string): LoomError {
  return new LoomError('mapping.code.unknown', `code "${code}" has no ${table} row in crosswalk version ${version}`, {
    location,
    hint: `add a ${table} row for "${code}" to the crosswalk CSV, or correct the code at the source`,
  });
}

/** The message or resource type has no mapping. */
export function typeUnsupported(location: string, type: string, supported: readonly string[]): LoomError {
  return new LoomError('mapping.message-type.unsupported', `no mapping for ${type}`, {
    location,
    hint: `mapped types: ${supported.join(', ')}`,
  });
}
