import type { Bundle } from '@medplum/fhirtypes';
import type { FormatCodec, ParseSummary, ValidationReport } from '../format.js';
import { getFhir } from './get.js';
import { parseFhir } from './parse.js';
import type { FhirResource } from './types.js';
import { validateFhir } from './validate.js';

/** The FHIR R4 JSON face for the CLI and engine. */
export const fhirCodec: FormatCodec<FhirResource> = {
  format: 'fhir',
  detect(text: string): boolean {
    const t = text.replace(/^\uFEFF/, '').trimStart();
    return t.startsWith('{') && /"resourceType"\s*:/.test(t.slice(0, 4096));
  },
  parse: (input) => parseFhir(input),
  validate(parsed: FhirResource): ValidationReport {
    const { errors, warnings } = validateFhir(parsed);
    return { errors: errors.map((e) => e.toJSON()), warnings: warnings.map((e) => e.toJSON()) };
  },
  summarize(parsed: FhirResource): ParseSummary {
    const types = [parsed.resourceType];
    const counts: Record<string, number> = {};
    if (parsed.resourceType === 'Bundle') {
      const entries = (parsed as Bundle).entry ?? [];
      counts.entries = entries.length;
      for (const e of entries) if (e.resource && !types.includes(e.resource.resourceType)) types.push(e.resource.resourceType);
    }
    return { format: 'fhir', types, controlIds: parsed.id ? [parsed.id] : [], counts, warnings: [] };
  },
  get: (parsed, path) => getFhir(parsed, path),
  toJson: (parsed) => parsed,
};
