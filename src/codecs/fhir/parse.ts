import { LoomError } from '../../kernel/errors.js';
import type { FhirResource } from './types.js';

/**
 * Resource types that exist in FHIR R5 (or R4B) but not in R4. Loom speaks R4 at /fhir/R4,
 * so these are rejected at parse rather than mis-validated; R5-only fields on types shared with
 * R4 surface as validation errors instead (see validateFhir).
 */
export const R5_ONLY_TYPES = new Set([
  'ActorDefinition', 'AdministrableProductDefinition', 'ArtifactAssessment', 'BiologicallyDerivedProductDispense',
  'ClinicalUseDefinition', 'ConditionDefinition', 'DeviceDispense', 'DeviceUsage', 'EncounterHistory', 'FormularyItem',
  'GenomicStudy', 'ImagingSelection', 'Ingredient', 'InventoryItem', 'InventoryReport', 'ManufacturedItemDefinition',
  'NutritionIntake', 'NutritionProduct', 'PackagedProductDefinition', 'Permission', 'RegulatedAuthorization',
  'RequestOrchestration', 'Requirements', 'SubscriptionStatus', 'SubscriptionTopic', 'TestPlan', 'Transport',
  'Citation', 'Evidence', 'EvidenceReport', 'MedicinalProductDefinition',
]);

function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

function jsonError(text: string, e: unknown): LoomError {
  const message = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(message);
  const position = m?.[1] ? Number(m[1]) : text.length;
  const { line, column } = lineColumn(text, position);
  return new LoomError('fhir.json.invalid', `the FHIR JSON is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, {
    location: `line ${line} column ${column}`, hint: 'look for a missing comma, quote or brace just before this point', cause: e,
  });
}

/** Throws fhir.version.unsupported for R5-only types at the root, in Bundle entries or contained. */
function rejectR5(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null) return;
  const r = value as { resourceType?: unknown; entry?: unknown; contained?: unknown };
  if (typeof r.resourceType === 'string' && R5_ONLY_TYPES.has(r.resourceType)) {
    throw new LoomError('fhir.version.unsupported', `${r.resourceType} is not an R4 resource (it was added in FHIR R4B/R5)`, {
      location: where, hint: 'Loom speaks FHIR R4; send an R4 equivalent (e.g. SupplyDelivery, Device) or convert first',
    });
  }
  if (Array.isArray(r.entry)) r.entry.forEach((e: unknown, i) => rejectR5((e as { resource?: unknown } | null)?.resource, `Bundle.entry[${i}].resource`));
  if (Array.isArray(r.contained)) r.contained.forEach((c: unknown, i) => rejectR5(c, `${where}.contained[${i}]`));
}

/**
 * Parses FHIR R4 JSON into a resource (no structure validation: see validateFhir).
 * @example parseFhir('{"resourceType":"Patient","id":"p1"}').resourceType // 'Patient'
 */
export function parseFhir(input: string | Uint8Array): FhirResource {
  const text = (typeof input === 'string' ? input : new TextDecoder().decode(input)).replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw jsonError(text, e);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LoomError('fhir.resource-type.missing', 'a FHIR resource is a JSON object with "resourceType"', { location: 'line 1 column 1' });
  }
  const resourceType = (value as { resourceType?: unknown }).resourceType;
  if (typeof resourceType !== 'string' || !/^[A-Z][A-Za-z]+$/.test(resourceType)) {
    throw new LoomError('fhir.resource-type.missing', 'the JSON object has no valid "resourceType"', {
      location: 'resourceType', hint: 'add "resourceType": "Patient" (or the intended type) at the top level',
    });
  }
  rejectR5(value, resourceType);
  return value as FhirResource;
}
