import { Systems } from '../canonical/index.js';

// HL7 table 0396 coding-system names → FHIR/URI systems; unknown names pass through as written.
const BY_V2_NAME: Record<string, string> = {
  C4: Systems.cpt, C5: Systems.cpt, CPT: Systems.cpt, CPT4: Systems.cpt,
  HCPCS: Systems.hcpcs, HCPC: Systems.hcpcs,
  SCT: Systems.snomed, SNM: Systems.snomed, SNOMED: Systems.snomed,
  I10: 'http://hl7.org/fhir/sid/icd-10', I10C: 'http://hl7.org/fhir/sid/icd-10-cm', I9: 'http://hl7.org/fhir/sid/icd-9-cm',
  LN: 'http://loinc.org', NDC: 'http://hl7.org/fhir/sid/ndc',
};

/** FHIR system URI for an HL7 v2 coding-system name (CWE-3), e.g. `C4` → CPT. */
export function codeSystemOf(v2Name: string): string {
  return BY_V2_NAME[v2Name.toUpperCase()] ?? v2Name;
}
