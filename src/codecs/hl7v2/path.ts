import { LoomError } from '../../kernel/errors.js';

/** A parsed HL7 path such as `OBX[2]-5[1].1.2`; all indexes 1-based, 0 where the path stops above that level. */
export interface Hl7Path {
  segment: string;
  /** Occurrence of the segment in the message (`OBX[2]`), default 1. */
  segmentIndex: number;
  /** Field number; 0 when the path names the segment only. */
  field: number;
  /** Repetition (`PID-3[2]`), default 1. */
  repetition: number;
  /** Component; 0 when the path names the whole field. */
  component: number;
  /** Subcomponent; 0 when the path names the whole component. */
  subcomponent: number;
}

const PATH_RE = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?(?:[-.](\d+)(?:\[(\d+)\])?(?:\.(\d+)(?:\.(\d+))?)?)?$/;
const cache = new Map<string, Hl7Path>();

/**
 * Parse `PID-5.1`, `PID-3[2].1`, `OBX[2]-5`, `PID-5.1.2` (also `PID.5.1`). Parsed paths are cached.
 *
 * @example
 * parseHl7Path('OBX[2]-5.1') // { segment: 'OBX', segmentIndex: 2, field: 5, repetition: 1, component: 1, subcomponent: 0 }
 */
export function parseHl7Path(path: string): Hl7Path {
  const hit = cache.get(path);
  if (hit !== undefined) return hit;
  const m = PATH_RE.exec(path);
  if (m === null) {
    throw new LoomError('hl7.path.invalid', `"${path}" is not an HL7 path`, {
      location: path,
      hint: 'write SEG[-field[[repetition]][.component[.subcomponent]]], e.g. PID-5.1, PID-3[2].1, OBX[2]-5',
    });
  }
  const p: Hl7Path = {
    segment: m[1],
    segmentIndex: m[2] === undefined ? 1 : Number(m[2]),
    field: m[3] === undefined ? 0 : Number(m[3]),
    repetition: m[4] === undefined ? 1 : Number(m[4]),
    component: m[5] === undefined ? 0 : Number(m[5]),
    subcomponent: m[6] === undefined ? 0 : Number(m[6]),
  };
  if (p.segmentIndex < 1 || p.repetition < 1 || (m[3] !== undefined && p.field < 1) ||
    (m[5] !== undefined && p.component < 1) || (m[6] !== undefined && p.subcomponent < 1)) {
    throw new LoomError('hl7.path.invalid', `"${path}" uses index 0; HL7 indexes start at 1`, { location: path, hint: 'e.g. PID-3[1].1' });
  }
  if (cache.size > 10_000) cache.clear(); // bound memory when callers build paths dynamically
  cache.set(path, p);
  return p;
}

/** Format a path back to the standard notation (`OBX[2]-5.1`). */
export function formatHl7Path(p: Hl7Path): string {
  let s = p.segment + (p.segmentIndex > 1 ? `[${p.segmentIndex}]` : '');
  if (p.field === 0) return s;
  s += `-${p.field}` + (p.repetition > 1 ? `[${p.repetition}]` : '');
  if (p.component > 0) s += `.${p.component}`;
  if (p.subcomponent > 0) s += `.${p.subcomponent}`;
  return s;
}
