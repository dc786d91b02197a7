// OperationOutcome for errors of the FHIR endpoint and the fhir-store connector.
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { LoomError } from '../kernel/errors.js';

/** FHIR issue-type code (R4 valueset issue-type) for a Loom error code. */
export function issueCodeOf(code: string): OperationOutcomeIssue['code'] {
  if (code.endsWith('not-found')) return 'not-found';
  if (code.includes('not-supported')) return 'not-supported';
  if (code.startsWith('fhir.structure') || code === 'fhir.structure') return 'structure';
  if (code === 'fhir.value' || code === 'fhir.invariant' || code === 'fhir.required') return code.slice(5) as OperationOutcomeIssue['code'];
  if (code.startsWith('store.')) return 'transient';
  if (code.startsWith('internal')) return 'exception';
  return 'invalid';
}

/**
 * An OperationOutcome with one error issue per LoomError (code, diagnostics, expression).
 * @example operationOutcome([new LoomError('fhir.read.not-found', 'Device/x not found')]).issue[0].code // 'not-found'
 */
export function operationOutcome(errors: LoomError[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: errors.map((e) => ({
      severity: 'error' as const,
      code: issueCodeOf(e.code),
      details: { text: e.code },
      diagnostics: e.hint ? `${e.message} (${e.hint})` : e.message,
      ...(e.location ? { expression: [e.location] } : {}),
    })),
  };
}

/** HTTP status for an outcome issue code. */
export function statusOf(issueCode: string | undefined): 400 | 404 | 422 | 500 | 503 {
  if (issueCode === 'not-found') return 404;
  if (issueCode === 'transient') return 503;
  if (issueCode === 'exception') return 500;
  if (issueCode === 'structure' || issueCode === 'value' || issueCode === 'invariant' || issueCode === 'required') return 422;
  return 400;
}
