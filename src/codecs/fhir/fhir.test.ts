import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isLoomError } from '../../kernel/errors.js';
import { fhirCodec, getFhir, parseFhir, splitBundle, validateFhir } from './index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus/fhir');
const present = existsSync(corpus);
if (!present) console.warn(`[fhir corpus] ${corpus} is absent: corpus tests skipped`);
const read = (rel: string): string => readFileSync(path.join(corpus, rel), 'utf8');

function thrown(fn: () => unknown): { code?: string; location?: string } {
  try { fn(); return {}; } catch (e) { if (!isLoomError(e)) throw e; return { code: e.code, location: e.location }; }
}

describe.skipIf(!present)('FHIR corpus', () => {
  const r4 = present ? readdirSync(path.join(corpus, 'r4')).filter((f) => f.endsWith('.json')) : [];

  it('parses and validates every R4 example clean', () => {
    expect(r4.length).toBe(42);
    const dirty = r4.flatMap((f) => validateFhir(parseFhir(read(`r4/${f}`))).errors.map((e) => `${f}: ${e.describe()}`));
    expect(dirty).toEqual([]);
  }, 30_000);

  // Decision: R5-only resource types are rejected at parse (fhir.version.unsupported); R5
  // documents of types shared with R4 parse, and R5-only fields show as R4 validation errors.
  const r5: Record<string, 'unsupported' | 'invalid' | 'valid'> = {
    'InventoryItem-example.json': 'unsupported',
    'InventoryReport-example.json': 'unsupported',
    'Device-Nonin20601PulseOx.json': 'invalid',
    'SupplyDelivery-ISBT128.json': 'invalid',
    'SupplyDelivery-mphodelivery.json': 'invalid',
    'SupplyDelivery-simpledelivery.json': 'invalid',
    'SupplyRequest-simpleorder.json': 'invalid',
    'SupplyDelivery-pumpdelivery.json': 'valid', // its fields are identical in R4
  };
  it.each(Object.entries(r5))('R5 %s is %s', (file, expected) => {
    const text = read(`r5/${file}`);
    if (expected === 'unsupported') {
      expect(thrown(() => parseFhir(text))).toMatchObject({ code: 'fhir.version.unsupported', location: JSON.parse(text).resourceType });
      return;
    }
    const { errors } = validateFhir(parseFhir(text));
    if (expected === 'valid') expect(errors).toEqual([]);
    else {
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e.code).toMatch(/^fhir\./);
    }
  });

  it('splits the transaction example into entries with fullUrl and request', () => {
    const entries = splitBundle(parseFhir(read('r4/Bundle-bundle-transaction.json')));
    expect(entries).toHaveLength(10);
    expect(entries[0]).toMatchObject({ index: 1, fullUrl: expect.any(String), request: { method: expect.stringMatching(/^(POST|PUT|GET|DELETE|PATCH)$/) } });
    expect(new Set(entries.map((e) => e.request?.method))).toEqual(new Set(['POST', 'PUT', 'DELETE', 'GET']));
    expect(fhirCodec.summarize(parseFhir(read('r4/Bundle-bundle-transaction.json')))).toMatchObject({ types: expect.arrayContaining(['Bundle', 'Patient']), counts: { entries: 10 } });
  });

  it('gets values by FHIRPath', () => {
    const patient = parseFhir(read('r4/Patient-example.json'));
    expect(getFhir(patient, "Patient.name.where(use='official').family")).toBe('Chalmers');
    expect(getFhir(patient, 'Patient.birthDate')).toBe('1974-12-25');
    expect(getFhir(patient, 'Patient.identifier.count()')).toBe('1');
    expect(getFhir(patient, 'Patient.deceased')).toBe('false');
    expect(getFhir(patient, 'Patient.photo')).toBeUndefined();
    const proc = parseFhir(read('r4/Procedure-example-implant.json'));
    expect(getFhir(proc, 'Procedure.focalDevice.manipulated.reference')).toMatch(/^Device\//);
  });
});

describe('FHIR parse, validate, split', () => {
  it('reports bad JSON with line and column', () => {
    const bad = '{\n  "resourceType": "Patient",\n  "id" "x"\n}';
    expect(thrown(() => parseFhir(bad))).toEqual({ code: 'fhir.json.invalid', location: 'line 3 column 8' });
    expect(thrown(() => parseFhir('{"resourceType":'))).toMatchObject({ code: 'fhir.json.invalid', location: 'line 1 column 17' });
  });

  it('requires resourceType and strips a BOM', () => {
    expect(thrown(() => parseFhir('{"id":"1"}')).code).toBe('fhir.resource-type.missing');
    expect(thrown(() => parseFhir('[1]')).code).toBe('fhir.resource-type.missing');
    expect(parseFhir(new TextEncoder().encode('\uFEFF{"resourceType":"Patient"}')).resourceType).toBe('Patient');
  });

  it('rejects R5-only resources inside bundles', () => {
    const b = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient' } }, { resource: { resourceType: 'InventoryItem' } }] });
    expect(thrown(() => parseFhir(b))).toEqual({ code: 'fhir.version.unsupported', location: 'Bundle.entry[1].resource' });
  });

  it('maps validation issues to LoomErrors at FHIRPath locations', () => {
    const { errors } = validateFhir(parseFhir(JSON.stringify({ resourceType: 'Patient', gender: 'robot', birthDate: '1974-13-45', foo: 1 })));
    const locations = errors.map((e) => e.location);
    expect(locations).toEqual(expect.arrayContaining(['Patient.foo', 'Patient.birthDate']));
    expect(errors.every((e) => e.code.startsWith('fhir.'))).toBe(true);
    expect(fhirCodec.validate(parseFhir('{"resourceType":"Patient","active":"yes"}')).errors[0]).toMatchObject({ location: 'Patient.active' });
  });

  it('splits batch and searchset bundles, and refuses entries without request in a transaction', () => {
    const batch = { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient?name=x' } }] };
    expect(splitBundle(parseFhir(JSON.stringify(batch)))).toEqual([{ index: 1, request: { method: 'GET', url: 'Patient?name=x' } }]);
    const ss = { resourceType: 'Bundle', id: 'b1', type: 'searchset', entry: [{ fullUrl: 'urn:a', resource: { resourceType: 'Patient', id: 'a' }, search: { mode: 'match' } }] };
    expect(splitBundle(parseFhir(JSON.stringify(ss)))[0]).toMatchObject({ fullUrl: 'urn:a', searchMode: 'match', resource: { id: 'a' } });
    expect(fhirCodec.summarize(parseFhir(JSON.stringify(ss)))).toMatchObject({ controlIds: ['b1'], counts: { entries: 1 } });
    const tx = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient' } }] };
    expect(thrown(() => splitBundle(parseFhir(JSON.stringify(tx))))).toEqual({ code: 'fhir.bundle.request', location: 'Bundle.entry[0].request' });
    expect(thrown(() => splitBundle(parseFhir('{"resourceType":"Patient"}'))).code).toBe('fhir.bundle.expected');
  });

  it('detects FHIR JSON only', () => {
    expect(fhirCodec.detect('\uFEFF  {\n "resourceType": "Bundle"')).toBe(true);
    expect(fhirCodec.detect('{"a":1}')).toBe(false);
    expect(fhirCodec.detect('MSH|^~\\&')).toBe(false);
  });

  it('does not load @medplum/core or the definitions at import time', () => {
    // Runtime imports of Medplum must go through the lazy loader (type-only imports are erased)
    const dir = path.join(repoRoot, 'src/codecs/fhir');
    const eager = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .filter((f) => /^import (?!type )[^;]*from '@medplum\/(core|definitions)'/m.test(readFileSync(path.join(dir, f), 'utf8')));
    expect(eager).toEqual([]);
    const script = `
      import { createRequire } from 'node:module';
      const m = await import(${JSON.stringify(path.join(repoRoot, 'src/codecs/fhir/index.ts'))});
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).filter((k) => k.includes('@medplum')).length;
      const before = loaded();
      m.getFhir({ resourceType: 'Patient', id: 'x' }, 'Patient.id');
      console.log(JSON.stringify([before, loaded()]));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [before, after] = JSON.parse(r.stdout.trim()) as [number, number];
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });
});
