import { LoomError, type LoomErrorJson } from '../../kernel/errors.js';
import { checkGroup, checkInterchange, checkSet, type X12EnvelopeIssue } from './envelope.js';
import { checkHierarchy } from './hierarchy.js';
import { matchSpec, type X12SetIssue } from './spec-match.js';
import { FUNCTIONAL_IDS, getX12Spec } from './specs.js';
import type { X12FunctionalGroup, X12Interchange, X12TransactionSet } from './types.js';

/** Versions whose tables Loom checks (GS08 prefix). */
export const SUPPORTED_X12_VERSIONS = ['004010', '005010'] as const;

export interface X12SetAnalysis {
  set: X12TransactionSet;
  envelope: X12EnvelopeIssue[];
  issues: X12SetIssue[];
  /** AK501/IK501: A accepted, E accepted with errors noted, R rejected. */
  status: 'A' | 'E' | 'R';
}

export interface X12GroupAnalysis {
  group: X12FunctionalGroup;
  envelope: X12EnvelopeIssue[];
  sets: X12SetAnalysis[];
}

export interface X12InterchangeAnalysis {
  interchange: X12Interchange;
  envelope: X12EnvelopeIssue[];
  groups: X12GroupAnalysis[];
  notices: LoomError[];
}

/** GS08 reduced to its version part, e.g. `004010VICS` → `004010`. */
export function x12Version(group: X12FunctionalGroup): string {
  return group.version.slice(0, 6);
}

function analyzeSet(set: X12TransactionSet, group: X12FunctionalGroup, notices: LoomError[]): X12SetAnalysis {
  const envelope = checkSet(set);
  const version = x12Version(group);
  const spec = getX12Spec(set.type);
  let issues: X12SetIssue[] = [];
  if (version !== '004010' && version !== '005010') {
    notices.push(new LoomError('x12.version.unsupported',
      `version ${group.version || '(empty GS08)'} of ${set.type} set ${set.controlNumber} is not supported for spec validation; only the envelope was checked`,
      { location: `GS segment ${group.gs.position} element 8`, hint: `Loom checks ${SUPPORTED_X12_VERSIONS.join(' and ')} tables` }));
  } else if (!spec) {
    notices.push(new LoomError('x12.spec.unknown', `no table is registered for transaction set ${set.type}; only the envelope was checked`,
      { location: `ST segment ${set.st.position} element 1`, hint: 'register one with registerX12Spec' }));
  } else {
    issues = matchSpec(spec, set.segments);
    if (spec.hierarchy) issues.push(...checkHierarchy(set.segments, spec.hierarchy.levels));
  }
  const expectedGs = spec?.functionalId ?? FUNCTIONAL_IDS[set.type];
  if (expectedGs && group.functionalId !== expectedGs) {
    notices.push(new LoomError('x12.group.functional-id', `GS01 is "${group.functionalId}" but a ${set.type} travels in "${expectedGs}" groups`,
      { location: `GS segment ${group.gs.position} element 1`, hint: 'some guides use other GS01 codes; check with the trading partner' }));
  }
  const rejected = envelope.length > 0 || issues.some((i) => i.severity === 'error');
  const status = rejected ? 'R' : issues.length > 0 ? 'E' : 'A';
  return { set, envelope, issues, status };
}

/** Envelope, table and hierarchy findings for one interchange, structured for acknowledgements. */
export function analyzeX12(ic: X12Interchange): X12InterchangeAnalysis {
  const notices: LoomError[] = [];
  const groups = ic.groups.map((group) => ({
    group,
    envelope: checkGroup(group),
    sets: group.sets.map((set) => analyzeSet(set, group, notices)),
  }));
  return { interchange: ic, envelope: checkInterchange(ic), groups, notices };
}

function setIssueError(i: X12SetIssue): LoomErrorJson {
  const location = i.element
    ? `${i.segmentId} segment ${i.position} element ${i.element.position}`
    : `${i.segmentId} segment ${i.position}`;
  return { code: i.code, message: i.message, location };
}

/**
 * Validate envelopes (counts, control numbers), segment tables of the registered sets and the
 * 856 HL hierarchy. Chained interchanges (`next`) are validated too.
 *
 * @example
 * const { errors, warnings } = validateX12(parseX12(text));
 */
export function validateX12(interchange: X12Interchange): { errors: LoomErrorJson[]; warnings: LoomErrorJson[] } {
  const errors: LoomErrorJson[] = [];
  const warnings: LoomErrorJson[] = [];
  for (let ic: X12Interchange | undefined = interchange; ic; ic = ic.next) {
    const a = analyzeX12(ic);
    errors.push(...a.envelope.map((e) => e.error.toJSON()));
    for (const g of a.groups) {
      errors.push(...g.envelope.map((e) => e.error.toJSON()));
      for (const s of g.sets) {
        errors.push(...s.envelope.map((e) => e.error.toJSON()));
        for (const i of s.issues) (i.severity === 'error' ? errors : warnings).push(setIssueError(i));
      }
    }
    warnings.push(...a.notices.map((n) => n.toJSON()));
  }
  return { errors, warnings };
}

/**
 * Envelope checks only (IEA/ISA, GE/GS, SE/ST counts and control numbers): the cheap check the
 * engine runs before the full table validation.
 *
 * @example
 * checkX12Envelope(parseX12(text)).errors; // [] when every count and control number agrees
 */
export function checkX12Envelope(interchange: X12Interchange): { errors: LoomErrorJson[] } {
  const errors: LoomErrorJson[] = [];
  for (let ic: X12Interchange | undefined = interchange; ic; ic = ic.next) {
    for (const i of checkInterchange(ic)) errors.push(i.error.toJSON());
    for (const g of ic.groups) {
      for (const i of checkGroup(g)) errors.push(i.error.toJSON());
      for (const s of g.sets) for (const i of checkSet(s)) errors.push(i.error.toJSON());
    }
  }
  return { errors };
}
