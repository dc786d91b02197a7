/**
 * PHI redaction for logs. Two layers, because either alone leaks:
 * - key paths (`mrn`, `PID-5`, `patient.name`, `*.ssn`) matched at any depth of a log object;
 * - value scrubbing of strings, for PHI that hides inside messages (an HL7 PID segment quoted
 *   in an error text, an SSN in a free-text note).
 */

export const REDACTED = '[REDACTED]';

/**
 * Default redaction list. HL7 field paths are written as the standard does (`PID-5`) and match
 * keys like `pid5`, `PID_5` or `pid-5`. Multi-segment entries match as a suffix at any depth.
 */
export const DEFAULT_REDACT: readonly string[] = [
  // PID-3 patient identifiers, PID-5 name, PID-6 mother's maiden name, PID-7 birth date,
  // PID-11 address, PID-13/14 phones, PID-18 account number, PID-19 SSN, PID-20 driver's licence.
  'PID-3', 'PID-5', 'PID-6', 'PID-7', 'PID-11', 'PID-13', 'PID-14', 'PID-18', 'PID-19', 'PID-20',
  // NK1-2 next of kin name, GT1-3 guarantor name, IN1-16 insured's name.
  'NK1-2', 'GT1-3', 'IN1-16',
  'mrn', 'ssn', 'birthDate', 'dateOfBirth', 'dob', 'patientName', 'firstName', 'lastName',
  'givenName', 'familyName', 'maidenName', 'address', 'phone', 'telecom', 'email',
  // Canonical entities and FHIR resources: the patient's own fields, not every `name`.
  'patient.name', 'patient.mrn', 'patient.identifier', 'patient.birthDate', 'patient.address',
  'patient.telecom', 'patient.gender', '*.ssn', '*.mrn',
  // Raw messages carry PHI whatever their format; payloads are never logged.
  'payload', 'rawPayload', 'body',
];

type Pattern = string[];

function normalize(segment: string): string {
  return segment.toLowerCase().replace(/[-_\s]/g, '');
}

/** `patient.name` → ['patient', 'name']; `["PID-5"]` (pino bracket syntax) → ['pid5']. */
export function compilePatterns(entries: readonly string[]): Pattern[] {
  return entries.map((entry) =>
    entry
      .replace(/\[["']([^"']+)["']\]/g, '.$1')
      .split('.')
      .filter((segment) => segment !== '')
      .map((segment) => (segment === '*' ? '*' : normalize(segment))),
  );
}

function matches(patterns: Pattern[], path: string[]): boolean {
  return patterns.some((pattern) => {
    if (pattern.length === 0 || pattern.length > path.length) return false;
    const offset = path.length - pattern.length;
    return pattern.every((segment, i) => segment === '*' || segment === path[offset + i]);
  });
}

/**
 * Segments that carry patient data: PID, PD1 (additional demographics), NK1 (next of kin),
 * GT1 (guarantor), IN1/IN2 (insured), MRG (prior identifiers). Everything after the segment
 * id up to the segment end (CR, LF or an escaped \r) is replaced.
 */
// The lookbehind also accepts an escaped separator (`\r` as two characters in JSON text).
const HL7_SEGMENTS = /(?<=^|[^A-Za-z0-9]|\\[rn])(PID|PD1|NK1|GT1|IN1|IN2|MRG)\|.*?(?=\r|\n|\\r|\\n|$)/g;
const SSN = /\b\d{3}-\d{2}-\d{4}\b/g;

/**
 * Remove PHI that hides inside a string.
 *
 * @example scrubText('bad MSH|...\rPID|1||123^^^H||DOE^JANE') // 'bad MSH|...\rPID|[REDACTED]'
 */
export function scrubText(text: string): string {
  return text.replace(HL7_SEGMENTS, `$1|${REDACTED}`).replace(SSN, REDACTED);
}

export interface Redactor {
  /** A deep copy of `value` with redacted keys and scrubbed strings (never mutates the input). */
  object(value: unknown): unknown;
  text(value: string): string;
}

/**
 * Build a redactor for a redaction list (matched case- and separator-insensitively).
 *
 * @example createRedactor(['mrn']).object({ patient: { mrn: '42' } }) // { patient: { mrn: '[REDACTED]' } }
 */
export function createRedactor(entries: readonly string[]): Redactor {
  const patterns = compilePatterns(entries);
  const visit = (value: unknown, path: string[], seen: WeakSet<object>): unknown => {
    if (path.length > 0 && matches(patterns, path)) return REDACTED;
    if (typeof value === 'string') return scrubText(value);
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    if (value instanceof Error) {
      // Stay an Error so pino's err serializer still prints type, message and stack.
      // Same prototype, so the serializer's `type` stays `LoomError`, `TypeError`, ...
      const copy = Object.create(Object.getPrototypeOf(value) as object) as Error;
      Object.defineProperty(copy, 'message', { value: scrubText(value.message), enumerable: false, writable: true });
      Object.defineProperty(copy, 'stack', { value: value.stack === undefined ? undefined : scrubText(value.stack), enumerable: false, writable: true });
      const extra = copy as unknown as Record<string, unknown>;
      for (const [key, inner] of Object.entries(value)) extra[key] = visit(inner, [...path, normalize(key)], seen);
      if (value.cause !== undefined) copy.cause = visit(value.cause, [...path, 'cause'], seen);
      return copy;
    }
    // Bytes are payloads: never print them, whatever the key.
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    if (value instanceof Date) return value;
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, String(i)], seen));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = visit(inner, [...path, normalize(key)], seen);
    return out;
  };
  return { object: (value) => visit(value, [], new WeakSet()), text: scrubText };
}

/**
 * The same list in pino's `redact.paths` syntax (top-level and one-level wildcards only, as
 * fast-redact supports): `PID-5` → `["PID-5"]`, `patient.name` stays, plus `*.<key>` for bare keys.
 */
export function toPinoPaths(entries: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const entry of entries) {
    const segments = entry.split('.').filter((s) => s !== '');
    if (segments.length === 0) continue;
    const written = segments.map((s, i) => (s === '*' || /^[A-Za-z_$][\w$]*$/.test(s) ? (i === 0 ? s : `.${s}`) : `["${s.replace(/"/g, '')}"]`)).join('');
    paths.add(written);
    if (segments.length === 1 && segments[0] !== '*') paths.add(`*${written.startsWith('[') ? written : `.${written}`}`);
  }
  return [...paths];
}
