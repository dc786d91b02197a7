// _include and _revinclude for the reference search parameters Loom indexes (patient, subject,
// encounter): `Encounter?_include=Encounter:subject` adds each match's Patient,
// `Patient?_revinclude=Encounter:subject` adds the Encounters that point at each match.
import { LoomError } from '../kernel/errors.js';
import { extractTokens } from './search.js';

const REFERENCE_PARAMS = new Set(['patient', 'subject', 'encounter']);
const TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** One `_include` / `_revinclude` value: `Source:param` with an optional `:Target` type. */
export interface IncludeSpec {
  source: string;
  param: string;
  target?: string;
}

function parseSpec(key: string, raw: string): IncludeSpec {
  const [source = '', param = '', target, ...rest] = raw.split(':');
  if (!TYPE.test(source) || !REFERENCE_PARAMS.has(param) || rest.length > 0 || (target !== undefined && !TYPE.test(target))) {
    throw new LoomError('fhir.search.not-supported', `${key}=${raw} is not supported`, {
      location: key, hint: 'use Type:patient, Type:subject or Type:encounter (optionally :TargetType), e.g. _include=Encounter:subject',
    });
  }
  return { source, param, ...(target ? { target } : {}) };
}

/**
 * Split `_include` / `_revinclude` off the query (the rest goes to compileSearch).
 * @example splitIncludes(new URLSearchParams('_include=Encounter:subject&status=finished')).includes[0].param // 'subject'
 */
export function splitIncludes(params: URLSearchParams): { rest: URLSearchParams; includes: IncludeSpec[]; revIncludes: IncludeSpec[] } {
  const rest = new URLSearchParams();
  const includes: IncludeSpec[] = [];
  const revIncludes: IncludeSpec[] = [];
  for (const [key, raw] of params) {
    if (key === '_include') includes.push(parseSpec(key, raw));
    else if (key === '_revinclude') revIncludes.push(parseSpec(key, raw));
    else rest.append(key, raw);
  }
  return { rest, includes, revIncludes };
}

/** `Type/id` references of `resource` named by an `_include` spec (only for matches of its source type). */
export function includedReferences(resource: Record<string, unknown>, spec: IncludeSpec): string[] {
  if (resource.resourceType !== spec.source) return [];
  return extractTokens(resource)
    .filter((t) => t.param === spec.param && (spec.target === undefined || t.value.startsWith(`${spec.target}/`)))
    .map((t) => t.value);
}
