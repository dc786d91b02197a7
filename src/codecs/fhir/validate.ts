import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { LoomError } from '../../kernel/errors.js';
import { medplumWithDefinitions } from './medplum.js';
import type { FhirResource } from './types.js';

export interface FhirValidation {
  errors: LoomError[];
  warnings: LoomError[];
}

function toLoomError(issue: OperationOutcomeIssue, resourceType: string): LoomError {
  const location = issue.expression?.[0] ?? resourceType;
  const text = issue.details?.text ?? issue.diagnostics ?? 'invalid';
  // Medplum issue codes: structure (unknown/missing/cardinality), value (format), invariant, invalid
  return new LoomError(`fhir.${issue.code ?? 'invalid'}`, `${location}: ${text}`, {
    location,
    hint: issue.code === 'structure' ? 'compare the element with the R4 StructureDefinition (name, cardinality, choice type)' : undefined,
  });
}

function isOutcomeError(e: unknown): e is { outcome: { issue?: OperationOutcomeIssue[] } } {
  return typeof e === 'object' && e !== null && 'outcome' in e && typeof (e as { outcome: unknown }).outcome === 'object';
}

/**
 * Validates a resource against the FHIR R4 base StructureDefinitions (@medplum/core); the
 * definitions are loaded and indexed on the first call.
 * @example validateFhir(parseFhir(text)).errors.map((e) => e.location) // ['Patient.gender']
 */
export function validateFhir(resource: FhirResource): FhirValidation {
  const core = medplumWithDefinitions();
  let issues: OperationOutcomeIssue[];
  try {
    issues = core.validateResource(resource);
  } catch (e) {
    if (!isOutcomeError(e)) throw new LoomError('fhir.validation.failed', `validation could not run: ${String(e)}`, { cause: e });
    issues = e.outcome.issue ?? [];
  }
  const out: FhirValidation = { errors: [], warnings: [] };
  for (const issue of issues) {
    const err = toLoomError(issue, resource.resourceType);
    if (issue.severity === 'error' || issue.severity === 'fatal') out.errors.push(err);
    else out.warnings.push(err);
  }
  return out;
}
