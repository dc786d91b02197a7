// Readers for HL7 v2 person data types (XPN name, XAD address, XTN telecom, XCN clinician), as the
// V2-to-FHIR IG's datatype maps read them. Each takes the path of one repetition, e.g. `PID-5[2]`.
import type { Hl7Message } from '../codecs/hl7v2/index.js';
import type { PersonName, PostalAddress, Practitioner, Telecom } from '../canonical/index.js';
import { opt } from './hl7-read.js';

/** The first value among `paths` (so `PID-5.1.1` falls back to `PID-5.1` for a v2.3 plain family name). */
function first(msg: Hl7Message, ...paths: string[]): string | undefined {
  for (const p of paths) {
    const v = opt(msg, p);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Paths of every repetition of a field: `PID-5` → `PID-5[1]`, `PID-5[2]` ... (at least one). */
export function repetitions(msg: Hl7Message, field: string): string[] {
  const n = Math.max(1, msg.repetitionCount(field));
  return Array.from({ length: n }, (_, i) => `${field}[${i + 1}]`);
}

/**
 * XPN at `at`: 1 family (FN-1 surname), 2 given, 3 further given names (middle, `&`-free text that may
 * hold several names separated by spaces), 4 suffix, 5 prefix, 7 name type.
 *
 * @example readXpn(msg, 'PID-5[1]') // { family: 'EVERYMAN', given: ['ADAM', 'A'], suffix: 'III' }
 */
export function readXpn(msg: Hl7Message, at: string, offset = 0): PersonName | undefined {
  // XCN carries the XPN components one place later (XCN-2 family ... XCN-6 prefix): `offset` 1.
  const c = (n: number): number => n + offset;
  const family = first(msg, `${at}.${c(1)}.1`, `${at}.${c(1)}`);
  const given = [first(msg, `${at}.${c(2)}`), first(msg, `${at}.${c(3)}`)].filter((v): v is string => v !== undefined);
  const suffix = first(msg, `${at}.${c(4)}`);
  const prefix = first(msg, `${at}.${c(5)}`);
  const use = offset === 0 ? first(msg, `${at}.7`) : undefined;
  if (family === undefined && given.length === 0) return undefined;
  return { ...(family ? { family } : {}), given, ...(prefix ? { prefix } : {}), ...(suffix ? { suffix } : {}), ...(use ? { use } : {}) };
}

/** XAD at `at`: 1 street (SAD-1), 2 other designation, 3 city, 4 state, 5 postal code, 6 country, 7 type. */
export function readXad(msg: Hl7Message, at: string): PostalAddress | undefined {
  const lines = [first(msg, `${at}.1.1`, `${at}.1`), first(msg, `${at}.2`)].filter((v): v is string => v !== undefined);
  const city = first(msg, `${at}.3`);
  const state = first(msg, `${at}.4`);
  const postalCode = first(msg, `${at}.5`);
  const country = first(msg, `${at}.6`);
  const use = first(msg, `${at}.7`);
  if (lines.length === 0 && !city && !state && !postalCode && !country) return undefined;
  return { lines, ...(city ? { city } : {}), ...(state ? { state } : {}), ...(postalCode ? { postalCode } : {}), ...(country ? { country } : {}), ...(use ? { use } : {}) };
}

/**
 * XTN at `at`: the number is XTN-12 (unformatted), else XTN-1 (v2.3 text), else built from XTN-5
 * country, XTN-6 area, XTN-7 local and XTN-8 extension; XTN-4 is the address of an `Internet` entry.
 */
export function readXtn(msg: Hl7Message, at: string, defaultUse?: string): Telecom | undefined {
  const equipment = first(msg, `${at}.3`);
  const use = first(msg, `${at}.2`) ?? defaultUse;
  const email = first(msg, `${at}.4`);
  const local = first(msg, `${at}.7`);
  const built = local ? [first(msg, `${at}.5`) ? `+${first(msg, `${at}.5`) ?? ''}` : undefined, first(msg, `${at}.6`) ? `(${first(msg, `${at}.6`) ?? ''})` : undefined, local, first(msg, `${at}.8`) ? `x${first(msg, `${at}.8`) ?? ''}` : undefined].filter(Boolean).join(' ') : undefined;
  const value = (equipment === 'Internet' || equipment === 'X.400') && email ? email : first(msg, `${at}.12`) ?? first(msg, `${at}.1`) ?? built ?? email;
  if (value === undefined) return undefined;
  return { value, ...(use ? { use } : {}), ...(equipment ? { equipment } : {}) };
}

/**
 * XCN at `at`: 1 id, 2-6 the name (family, given, middle, suffix, prefix), 9 assigning authority
 * (HD: namespace, universal id, its type), 13 identifier type.
 *
 * @example readXcn(msg, 'PV1-7[1]') // { id: { value: '004777' }, name: { family: 'ATTEND', given: ['AARON', 'A'] } }
 */
export function readXcn(msg: Hl7Message, at: string): Practitioner | undefined {
  const value = first(msg, `${at}.1`);
  const name = readXpn(msg, at, 1);
  if (value === undefined && name === undefined) return undefined;
  const system = first(msg, `${at}.9.1`);
  const universalId = first(msg, `${at}.9.2`);
  const universalIdType = first(msg, `${at}.9.3`);
  const type = first(msg, `${at}.13`);
  // A clinician known by name only still needs a stable key: the name itself stands in for the id.
  const id = value ?? [name?.family, ...(name?.given ?? [])].filter(Boolean).join(' ');
  return {
    id: { value: id, ...(system ? { system } : {}), ...(universalId ? { universalId } : {}), ...(universalIdType ? { universalIdType } : {}), ...(type ? { type } : {}) },
    ...(name ? { name } : {}),
  };
}
