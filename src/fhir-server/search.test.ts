import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoomError } from '../kernel/errors.js';
import { compileSearch, contentHash, extractTokens, normalizeReference, openFhirRepository } from './index.js';

describe('fhir-server search index', () => {
  it('normalises absolute and versioned references to Type/id', () => {
    expect(normalizeReference('https://ehr.example.org/fhir/R4/Patient/7/_history/3')).toBe('Patient/7');
    expect(normalizeReference('Patient/7')).toBe('Patient/7');
    expect(normalizeReference('7')).toBe('7');
  });

  it('extracts patient from a Patient subject or Device.patient, not from a Group subject', () => {
    const names = (r: Record<string, unknown>): string[] => extractTokens(r).map((t) => `${t.param}=${t.system}|${t.value}`).sort();
    expect(names({ resourceType: 'Procedure', subject: { reference: 'Patient/1' }, status: 'completed' }))
      .toEqual(['patient=|Patient/1', 'status=|completed', 'subject=|Patient/1']);
    expect(names({ resourceType: 'Device', patient: { reference: 'Patient/2' }, identifier: [{ system: 's', value: 'v' }, { value: 'w' }] }))
      .toEqual(['identifier=s|v', 'identifier=|w', 'patient=|Patient/2'].sort());
    expect(names({ resourceType: 'Observation', subject: { reference: 'Group/g' } })).toEqual(['subject=|Group/g']);
  });

  it('refuses unknown parameters and modifiers, and bad _count', () => {
    expect(() => compileSearch('Procedure', new URLSearchParams('performer=x'))).toThrow(LoomError);
    expect(() => compileSearch('Procedure', new URLSearchParams('status:not=x'))).toThrow(/modifier/);
    expect(() => compileSearch('Procedure', new URLSearchParams('_count=-1'))).toThrow(/_count/);
    expect(compileSearch('Procedure', new URLSearchParams('_count=5000')).count).toBe(1000);
  });

  it('hashes content independently of key order and server meta', () => {
    const a = contentHash({ resourceType: 'Device', id: 'd', status: 'active', meta: { versionId: '3', lastUpdated: '2024-01-01T00:00:00Z' } });
    const b = contentHash({ status: 'active', id: 'd', resourceType: 'Device' } as never);
    expect(a).toBe(b);
    expect(contentHash({ resourceType: 'Device', id: 'd', status: 'inactive' })).not.toBe(a);
  });

  it('shares one repository per loom.db and closes it with the last holder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loom-fhir-unit-'));
    try {
      const a = openFhirRepository({ dataDir: dir });
      const b = openFhirRepository({ dataDir: dir });
      expect(b).toBe(a);
      a.upsert({ resourceType: 'Device', id: 'd1', status: 'active' });
      a.close();
      expect(b.read('Device', 'd1')?.meta?.versionId).toBe('1');
      b.close();
      const c = openFhirRepository({ dataDir: dir });
      expect(c).not.toBe(a);
      expect(c.read('Device', 'd1')).toBeDefined();
      c.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
