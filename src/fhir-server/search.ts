// Search parameters of Loom's FHIR store: what is indexed per resource and how a query string
// becomes SQL over fhir_resources + fhir_search_index.
import { LoomError } from '../kernel/errors.js';

/** One extracted search value: `param=system|value` (system '' when there is none). */
export interface SearchToken {
  param: string;
  system: string;
  value: string;
}

/** The search parameters every resource type supports here (besides _id, _lastUpdated, _count, _offset). */
export const SEARCH_PARAMS = [
  { name: '_id', type: 'token', documentation: 'Logical id; comma-separated ids OR' },
  { name: '_lastUpdated', type: 'date', documentation: 'meta.lastUpdated with ge/le/gt/lt/eq prefixes' },
  { name: 'patient', type: 'reference', documentation: 'patient or subject reference to a Patient (Patient/123 or 123)' },
  { name: 'subject', type: 'reference', documentation: 'subject reference (Type/id, or id of any type)' },
  { name: 'encounter', type: 'reference', documentation: 'encounter reference (Encounter/123 or 123)' },
  { name: 'identifier', type: 'token', documentation: 'identifier as system|value, |value or value' },
  { name: 'status', type: 'token', documentation: 'status code' },
  { name: 'code', type: 'token', documentation: 'code.coding as system|code or code' },
] as const;

const PAGING = new Set(['_count', '_offset', '_format', '_pretty']);
const INDEXED = new Set(['patient', 'subject', 'encounter', 'identifier', 'status', 'code']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `https://x/fhir/Patient/1/_history/2` → `Patient/1`; relative references stay as they are. */
export function normalizeReference(reference: string): string {
  const parts = reference.split('/').filter((p) => p !== '');
  const hist = parts.indexOf('_history');
  const core = hist >= 0 ? parts.slice(0, hist) : parts;
  return core.length >= 2 ? `${core[core.length - 2]}/${core[core.length - 1]}` : reference;
}

function referenceOf(v: unknown): string | undefined {
  return isRecord(v) ? (str(v.reference) !== undefined ? normalizeReference(v.reference as string) : undefined) : undefined;
}

/**
 * The search values of one resource: references (Procedure.subject, Device.patient,
 * *.encounter), identifiers, status and code.coding.
 * @example extractTokens({ resourceType: 'Procedure', status: 'completed' }) // [{ param: 'status', system: '', value: 'completed' }]
 */
export function extractTokens(resource: Record<string, unknown>): SearchToken[] {
  const out: SearchToken[] = [];
  const add = (param: string, system: string, value: string | undefined): void => {
    if (value !== undefined) out.push({ param, system, value });
  };
  const subject = referenceOf(resource.subject);
  add('subject', '', subject);
  // patient: the explicit `patient` element (Device.patient, ChargeItem has subject) or a Patient subject
  const patient = referenceOf(resource.patient) ?? (subject?.startsWith('Patient/') ? subject : undefined);
  add('patient', '', patient);
  add('encounter', '', referenceOf(resource.encounter) ?? referenceOf(resource.context));
  for (const id of asArray(resource.identifier)) {
    if (isRecord(id)) add('identifier', str(id.system) ?? '', str(id.value));
  }
  if (typeof resource.status === 'string') add('status', '', resource.status);
  const code = resource.code;
  if (isRecord(code)) {
    for (const c of asArray(code.coding)) if (isRecord(c)) add('code', str(c.system) ?? '', str(c.code));
  }
  const seen = new Set<string>();
  return out.filter((t) => {
    const k = `${t.param}\u0000${t.system}\u0000${t.value}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** A compiled search: WHERE clause over alias `r` with its arguments, plus paging. */
export interface CompiledSearch {
  where: string;
  args: (string | number)[];
  count: number;
  offset: number;
}

const DATE_PREFIX = /^(eq|ge|le|gt|lt)?(\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?)$/;

function invalid(param: string, message: string, hint?: string): LoomError {
  return new LoomError('fhir.search.invalid', `${param}: ${message}`, { location: param, hint });
}

function lastUpdatedClause(raw: string): { sql: string; arg: number } {
  const m = DATE_PREFIX.exec(raw);
  const ms = m ? Date.parse(m[2]!.length === 4 ? `${m[2]}-01-01` : m[2]!.length === 7 ? `${m[2]}-01` : m[2]!) : Number.NaN;
  if (!m || Number.isNaN(ms)) throw invalid('_lastUpdated', `"${raw}" is not a FHIR date`, 'use e.g. ge2024-01-01 or le2024-01-01T10:00:00Z');
  const op = { eq: '=', ge: '>=', le: '<=', gt: '>', lt: '<' }[(m[1] ?? 'eq') as 'eq'];
  return { sql: `r.last_updated_ms ${op} ?`, arg: ms };
}

function tokenClause(resourceType: string, param: string, raw: string): { sql: string; args: string[] } {
  // comma = OR (FHIR R4 search §3.1.1.4.6); each alternative is system|value, |value or value
  const alts: string[] = [];
  const args: string[] = [];
  for (const alt of raw.split(',')) {
    if (alt === '') throw invalid(param, 'empty value');
    if (param === 'identifier' || param === 'code') {
      const bar = alt.indexOf('|');
      if (bar < 0) { alts.push('(value = ?)'); args.push(alt); }
      else if (bar === alt.length - 1) { alts.push('(system = ?)'); args.push(alt.slice(0, -1)); }
      else { alts.push('(system = ? AND value = ?)'); args.push(alt.slice(0, bar), alt.slice(bar + 1)); }
    } else if (param === 'status') {
      alts.push('(value = ?)'); args.push(alt);
    } else {
      const ref = normalizeReference(alt);
      if (ref.includes('/')) { alts.push('(value = ?)'); args.push(ref); }
      else if (param === 'subject') { alts.push("(value LIKE '%/' || ?)"); args.push(ref); }
      else { alts.push('(value = ?)'); args.push(`${param === 'patient' ? 'Patient' : 'Encounter'}/${ref}`); }
    }
  }
  const sql = `EXISTS (SELECT 1 FROM fhir_search_index s WHERE s.resource_type = ? AND s.id = r.id AND s.param = ? AND (${alts.join(' OR ')}))`;
  return { sql, args: [resourceType, param, ...args] };
}

/**
 * Compile query parameters into SQL. Unknown parameters are refused (not silently ignored),
 * so a client never takes a wider result for a filtered one.
 * @example compileSearch('Procedure', new URLSearchParams('patient=Patient/1&_count=10'))
 */
export function compileSearch(resourceType: string, params: URLSearchParams, maxCount = 1000): CompiledSearch {
  const clauses = ['r.resource_type = ?'];
  const args: (string | number)[] = [resourceType];
  let count = 20;
  let offset = 0;
  for (const [key, raw] of params) {
    const [name, modifier] = key.split(':');
    if (modifier !== undefined && !(modifier === 'exact' && name === 'identifier')) {
      throw new LoomError('fhir.search.not-supported', `modifier :${modifier} is not supported`, { location: key });
    }
    if (name === '_count' || name === '_offset') {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw invalid(name, `"${raw}" is not a non-negative integer`);
      if (name === '_count') count = Math.min(n, maxCount); else offset = n;
    } else if (name === '_id') {
      const ids = raw.split(',');
      clauses.push(`r.id IN (${ids.map(() => '?').join(',')})`);
      args.push(...ids);
    } else if (name === '_lastUpdated') {
      const c = lastUpdatedClause(raw);
      clauses.push(c.sql);
      args.push(c.arg);
    } else if (name !== undefined && INDEXED.has(name)) {
      const c = tokenClause(resourceType, name, raw);
      clauses.push(c.sql);
      args.push(...c.args);
    } else if (!PAGING.has(name ?? '')) {
      throw new LoomError('fhir.search.not-supported', `search parameter "${key}" is not supported`, {
        location: key, hint: `supported: ${SEARCH_PARAMS.map((p) => p.name).join(', ')}, _count, _offset`,
      });
    }
  }
  return { where: clauses.join(' AND '), args, count, offset };
}
