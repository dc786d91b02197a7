// Field-by-field checks of the HL7 v2 → FHIR mappings (PID, PV1, OBR/OBX, ORC/OBR) on corpus
// messages and the repository's own fixtures: each mapped field against the value in the message.
import type { Bundle, DiagnosticReport, Encounter, Location, Observation, Patient, Practitioner, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateFhir } from '../codecs/fhir/index.js';
import { parseHl7v2 } from '../codecs/hl7v2/index.js';
import { loadCrosswalkCsv } from './crosswalk.js';
import { hl7ToFhirBundle } from './hl7-to-fhir-bundle.js';
import { corpusHl7, corpusPresent, fixtureHl7, fixtureText, thrown } from './test-support.js';

beforeAll(() => { validateFhir({ resourceType: 'Patient' }); });

function ofType<T extends Resource>(b: Bundle, type: T['resourceType']): T[] {
  return (b.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}
function one<T extends Resource>(b: Bundle, type: T['resourceType']): T {
  const all = ofType<T>(b, type);
  expect(all, type).toHaveLength(1);
  return all[0]!;
}
/** The bundle entry a reference points at (every reference must point inside the bundle). */
function resolve<T extends Resource>(b: Bundle, reference: string | undefined): T {
  const hit = (b.entry ?? []).find((e) => e.fullUrl === reference)?.resource;
  if (hit === undefined) throw new Error(`reference ${String(reference)} does not resolve inside the bundle`);
  return hit as T;
}
function allReferences(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => allReferences(x, out));
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'reference' && typeof x === 'string') out.push(x);
      else allReferences(x, out);
    }
  }
  return out;
}
function expectValidAndClosed(b: Bundle): void {
  for (const e of b.entry ?? []) {
    expect(validateFhir(e.resource!).errors.map((x) => `${x.location ?? ''} ${x.message}`), e.resource?.resourceType).toEqual([]);
  }
  const fullUrls = new Set((b.entry ?? []).map((e) => e.fullUrl));
  expect(allReferences(b).filter((r) => !fullUrls.has(r))).toEqual([]);
}

describe.skipIf(!corpusPresent)('ADT → Patient, Encounter, Practitioner, Location (corpus)', () => {
  it('ADT01-23: gender, name with middle, address, home and work phone, attending and location', () => {
    const b = hl7ToFhirBundle(corpusHl7('ADT01-23.hl7'));
    const p = one<Patient>(b, 'Patient');
    expect(p.gender).toBe('male'); // PID-8 M
    expect(p.name).toEqual([{ family: 'DUCK', given: ['DONALD', 'D'] }]); // PID-5 DUCK^DONALD^D
    expect(p.birthDate).toBe('1924-10-10');
    expect(p.address).toEqual([{ line: ['111 DUCK ST'], city: 'FOWL', state: 'CA', postalCode: '999990000', type: 'postal' }]); // PID-11, XAD-7 M
    expect(p.telecom).toEqual([{ system: 'phone', value: '8885551212', use: 'home' }, { system: 'phone', value: '8885551212', use: 'work' }]); // PID-13, PID-14
    const enc = one<Encounter>(b, 'Encounter');
    expect(enc.identifier?.[0]?.value).toBe('40007716');
    const attending = resolve<Practitioner>(b, enc.participant?.[0]?.individual?.reference);
    expect(enc.participant?.[0]?.type?.[0]?.coding?.[0]?.code).toBe('ATND');
    expect([attending.identifier?.[0]?.value, attending.name?.[0]?.family, attending.name?.[0]?.given]).toEqual(['37', 'DISNEY', ['WALT']]); // PV1-7
    const loc = resolve<Location>(b, enc.location?.[0]?.location.reference);
    expect([loc.name, loc.physicalType?.coding?.[0]?.code]).toEqual(['PREOP 101 1', 'bd']); // PV1-3 PREOP^101^1
    expectValidAndClosed(b);
  });

  it('ADT-A01-02: every PID-5 name with prefix, suffix and type; PID-3 namespace default system', () => {
    const b = hl7ToFhirBundle(corpusHl7('ADT-A01-02.hl7'));
    const p = one<Patient>(b, 'Patient');
    expect(p.name).toEqual([
      { family: 'EVERYMAN', given: ['ADAM', 'A'], prefix: ['Dr.'], suffix: ['III'], use: 'usual' }, // XPN-7 D
      { family: 'Josh', given: ['stanley'], use: 'official' }, // second repetition, XPN-7 L
    ]);
    expect(p.identifier?.map((i) => [i.value, i.system])).toEqual([['PATID1234', 'urn:loom:id:test1'], ['123456789', 'urn:loom:id:USSSA']]);
    expect(p.address?.[0]).toMatchObject({ city: 'Ann Arbor', state: 'MI', postalCode: '99999', country: 'USA' });
    const attending = resolve<Practitioner>(b, one<Encounter>(b, 'Encounter').participant?.[0]?.individual?.reference);
    expect(attending.name).toEqual([{ family: 'Alaz', given: ['Mohammed', 'Mahi'], prefix: ['Dr.'], suffix: ['JR'] }]);
    expectValidAndClosed(b);
  });
});

describe.skipIf(!corpusPresent)('ORU^R01, ORM^O01, OML^O21 (corpus)', () => {
  it('LAB-ORU-1: one DiagnosticReport per OBR with its OBX Observations, values, units, flags, statuses', () => {
    const b = hl7ToFhirBundle(corpusHl7('LAB-ORU-1.hl7'));
    const reports = ofType<DiagnosticReport>(b, 'DiagnosticReport');
    expect(reports.map((r) => r.code.coding?.[0]?.code)).toEqual(['24317-0', '26464-8']); // OBR-4
    expect(reports[0]!.identifier?.map((i) => [i.value, i.type?.coding?.[0]?.code])).toEqual([['88502218', 'PLAC'], ['82503246', 'FILL']]);
    expect(reports[0]!.status).toBe('final'); // OBR-25 F
    const first = (reports[0]!.result ?? []).map((r) => resolve<Observation>(b, r.reference));
    expect(first.map((o) => o.code.coding?.[0]?.code)).toEqual(['11156-7', '11273-0', '20509-6', '20570-8', '11125-2']);
    expect(first[1]).toMatchObject({ status: 'preliminary', valueQuantity: { value: 4.06, unit: 'tera.l-1' }, interpretation: [{ coding: [{ code: 'N' }] }], effectiveDateTime: '2014-10-06T06:27:00+07:00' });
    expect(first[0]!.status).toBe('registered'); // OBX-11 I
    expect(first[4]!.status).toBe('final');
    expect(ofType<Observation>(b, 'Observation')).toHaveLength(10);
    expectValidAndClosed(b);
  });

  it('ORU-R01-01: CWE value, reference range with units, abnormal flag, encounter from PV1-19', () => {
    const b = hl7ToFhirBundle(corpusHl7('ORU-R01-01.hl7'));
    const report = one<DiagnosticReport>(b, 'DiagnosticReport');
    expect(report.identifier?.find((i) => i.type?.coding?.[0]?.code === 'FILL')?.system).toBe('urn:oid:2.16.840.1.114222.4.3.3.5.1.2'); // OBR-3 EI with ISO universal id
    expect(report.encounter?.reference).toBe(b.entry?.find((e) => e.resource?.resourceType === 'Encounter')?.fullUrl);
    const cwe = ofType<Observation>(b, 'Observation').find((o) => o.valueCodeableConcept);
    expect(cwe?.valueCodeableConcept).toEqual({ coding: [{ code: '27268008', display: 'Salmonella', system: 'http://snomed.info/sct' }], text: 'Salmonella species' });
    expect(cwe?.referenceRange).toEqual([{ low: { value: 70, unit: 'beats/min' }, high: { value: 80, unit: 'beats/min' }, text: '70-80' }]);
    expect(cwe?.interpretation?.[0]?.coding?.[0]?.code).toBe('A');
    expect(cwe?.status).toBe('preliminary');
    const patient = one<Patient>(b, 'Patient');
    expect(patient.identifier?.[0]?.system).toBe('urn:oid:2.16.840.1.114222.4.3.3.5.1.2'); // PID-3.4.2 with PID-3.4.3 ISO
    expectValidAndClosed(b);
  });

  it('ORM-O01-01: ServiceRequest with ORC placer/filler, status, authoredOn and the ORC-12 requester', () => {
    const b = hl7ToFhirBundle(corpusHl7('ORM-O01-01.hl7'));
    const sr = one<ServiceRequest>(b, 'ServiceRequest');
    expect(sr.identifier?.map((i) => [i.value, i.type?.coding?.[0]?.code])).toEqual([['1101', 'PLAC'], ['1201', 'FILL']]);
    expect([sr.status, sr.intent, sr.code?.coding?.[0]?.code, sr.authoredOn]).toEqual(['active', 'order', '24725-4', '2021-10-20T11:26:00+02:15']); // ORC-5 SC, OBR-4, ORC-9
    expect(resolve<Practitioner>(b, sr.requester?.reference).name?.[0]?.family).toBe('ORDPROVIDER'); // ORC-12
    expect(resolve<Encounter>(b, sr.encounter?.reference).identifier?.[0]?.value).toBe('5001');
    expectValidAndClosed(b);
  });

  it('MDHHS-OML-O21-1: OML ServiceRequest with OID-based identifier systems, female patient with PRN/WPN phones', () => {
    const b = hl7ToFhirBundle(corpusHl7('MDHHS-OML-O21-1.hl7'));
    const sr = one<ServiceRequest>(b, 'ServiceRequest');
    expect(sr.identifier?.map((i) => [i.value, i.system])).toEqual([['ORD723222', 'urn:oid:2.16.840.1.113883.3.72.5.24'], ['R-783274', 'urn:oid:2.16.840.1.113883.3.72.5.25']]);
    expect(sr.code?.coding?.[0]?.code).toBe('6532-6');
    expect(resolve<Practitioner>(b, sr.requester?.reference).identifier?.[0]?.value).toBe('8075000001'); // OBR-16 (no ORC: glued to GT1 in this sample)
    const p = one<Patient>(b, 'Patient');
    expect(p.gender).toBe('female');
    expect(p.telecom).toEqual([{ system: 'phone', value: '(586) 3365555', use: 'home' }, { system: 'phone', value: '(586) 3895631', use: 'work' }]);
    expectValidAndClosed(b);
  });

  it('still refuses message types without a mapping', () => {
    expect(thrown(() => hl7ToFhirBundle(corpusHl7('MDM-T02-01.hl7'))).code).toBe('mapping.message-type.unsupported');
  });
});

describe('OBX value types and identifier-system crosswalk (fixtures)', () => {
  const bundle = (): Bundle => hl7ToFhirBundle(fixtureHl7('oru-r01-value-types.hl7'));
  const obs = (b: Bundle, code: string): Observation => {
    const o = ofType<Observation>(b, 'Observation').find((x) => x.code.coding?.[0]?.code === code);
    if (!o) throw new Error(`no Observation ${code}`);
    return o;
  };

  it('NM, SN (comparator, ratio, range), ST, TX, CWE, DT, TS map to their value[x] with UCUM units and ranges', () => {
    const b = bundle();
    expect(obs(b, '2345-7')).toMatchObject({
      valueQuantity: { value: 182, unit: 'mg/dL', code: 'mg/dL', system: 'http://unitsofmeasure.org' },
      referenceRange: [{ low: { value: 70 }, high: { value: 99 }, text: '70-99' }],
      interpretation: [{ coding: [{ code: 'H' }] }, { coding: [{ code: 'A' }] }], status: 'final',
    });
    expect(obs(b, '2160-0')).toMatchObject({ valueQuantity: { value: 0.5, comparator: '<', unit: 'mg/dL' }, status: 'corrected', interpretation: [{ coding: [{ code: 'L' }] }] });
    expect(obs(b, '5195-3').valueRatio).toEqual({ numerator: { value: 1 }, denominator: { value: 128 } });
    expect(obs(b, '2093-3').valueRange).toMatchObject({ low: { value: 180, unit: 'mg/dL' }, high: { value: 200, unit: 'mg/dL' } });
    expect(obs(b, '5778-6').valueString).toBe('Amber');
    expect(obs(b, '11529-5').valueString).toBe('Line one\nLine two');
    expect(obs(b, '600-7').valueCodeableConcept?.coding?.[0]).toEqual({ code: '27268008', display: 'Salmonella', system: 'http://snomed.info/sct' });
    expect(obs(b, '21112-8').valueDateTime).toBe('2024-01-15');
    expect(obs(b, '8665-2').valueDateTime).toBe('2025-02-01T08:30:00-05:00');
    expect(obs(b, '18748-4').dataAbsentReason?.coding?.[0]?.code).toBe('unsupported'); // ED is not mapped
    const report = one<DiagnosticReport>(b, 'DiagnosticReport');
    expect([report.status, report.issued, report.effectiveDateTime]).toEqual(['final', '2025-03-02T08:10:00-05:00', '2025-03-02T07:00:00-05:00']);
    expect(report.result).toHaveLength(10);
    expectValidAndClosed(b);
  });

  it('a non-numeric NM value fails with mapping.field.invalid at its OBX-5', () => {
    const text = fixtureText('oru-r01-value-types.hl7').replace('||182|', '||high|');
    const e = thrown(() => hl7ToFhirBundle(parseHl7v2(text)));
    expect([e.code, e.location]).toEqual(['mapping.field.invalid', 'OBX[1]-5[1]']);
  });

  it('identifier systems come from the identifier-systems crosswalk per assigning authority, else the default', () => {
    const { crosswalk, errors } = loadCrosswalkCsv(fixtureText('identifier-systems.csv'));
    expect(errors).toEqual([]);
    const plain = one<Patient>(bundle(), 'Patient');
    expect(plain.identifier?.[0]?.system).toBe('urn:loom:id:MAIN'); // documented default for a bare namespace
    const b = hl7ToFhirBundle(fixtureHl7('oru-r01-value-types.hl7'), { identifierSystems: crosswalk });
    expect(one<Patient>(b, 'Patient').identifier?.[0]).toMatchObject({ value: 'MRN-7001', system: 'https://hospital.example.org/fhir/sid/mrn' });
    expect(one<Encounter>(b, 'Encounter').identifier?.[0]?.system).toBe('https://hospital.example.org/fhir/sid/mrn'); // PV1-19 assigned by MAIN too
    const placer = one<DiagnosticReport>(b, 'DiagnosticReport').identifier?.find((i) => i.type?.coding?.[0]?.code === 'PLAC');
    expect(placer?.system).toBe('urn:loom:id:EHR'); // no row for EHR
  });
});
