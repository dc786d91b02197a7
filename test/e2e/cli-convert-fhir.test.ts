// `loom convert --to fhir` on an ORU^R01 with and without an identifier-systems crosswalk.
import path from 'node:path';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { loom } from '../support/cli.js';
import { repoRoot } from '../support/corpus.js';

const fixture = (name: string): string => path.join(repoRoot, 'test/fixtures/mappings', name);
const resources = (b: Bundle, type: string) => (b.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type);

describe('loom convert --to fhir', () => {
  it('maps ORU^R01 to DiagnosticReport + Observations and uses --identifier-systems for PID-3 systems', async () => {
    const plain = await loom(['convert', fixture('oru-r01-value-types.hl7'), '--to', 'fhir']);
    expect(plain.code, plain.stderr).toBe(0);
    const b = JSON.parse(plain.stdout) as Bundle;
    expect(resources(b, 'DiagnosticReport')).toHaveLength(1);
    expect((resources(b, 'Observation') as Observation[]).map((o) => o.code.coding?.[0]?.code)).toContain('2345-7');
    expect((resources(b, 'Patient')[0] as Patient).identifier?.[0]?.system).toBe('urn:loom:id:MAIN');
    const mapped = await loom(['convert', fixture('oru-r01-value-types.hl7'), '--to', 'fhir', '--identifier-systems', fixture('identifier-systems.csv')]);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect((resources(JSON.parse(mapped.stdout) as Bundle, 'Patient')[0] as Patient).identifier?.[0]?.system).toBe('https://hospital.example.org/fhir/sid/mrn');
  });

  it('an unreadable --identifier-systems file is a usage error naming the option', async () => {
    const run = await loom(['convert', fixture('oru-r01-value-types.hl7'), '--to', 'fhir', '--identifier-systems', '/nonexistent/x.csv']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--identifier-systems');
  });
});
