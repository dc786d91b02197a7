import { LoomError } from '../../kernel/errors.js';
import { medplumCore } from './medplum.js';
import type { FhirResource } from './types.js';

function asString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Evaluates a FHIRPath expression and returns its first value as a string (objects as JSON).
 * @example getFhir(patient, "Patient.name.where(use='official').family") // 'Chalmers'
 */
export function getFhir(resource: FhirResource, path: string): string | undefined {
  let values: unknown[];
  try {
    values = medplumCore().evalFhirPath(path, resource);
  } catch (e) {
    throw new LoomError('fhir.path.invalid', `"${path}" is not a FHIRPath expression Loom can evaluate: ${e instanceof Error ? e.message : String(e)}`, {
      location: path, hint: "e.g. Patient.identifier.where(system='urn:mrn').value", cause: e,
    });
  }
  return asString(values[0]);
}
