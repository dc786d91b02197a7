import type { Bundle, ChargeItem, Device, Encounter, Patient, Procedure } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateFhir } from '../codecs/fhir/index.js';
import { hl7ToFhirBundle } from './hl7-to-fhir-bundle.js';
import { corpusHl7, corpusJson, corpusPresent, fixtureHl7, thrown } from './test-support.js';

// Indexing the R4 definitions takes seconds on a busy machine: do it once, under the hook timeout.
beforeAll(() => { validateFhir({ resourceType: 'Patient' }); });

function ofType<T>(b: Bundle, type: string): T[] {
  return (b.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type) as T[];
}
const instant = (s: string | undefined): number => Date.parse(s ?? '');

function expectValid(b: Bundle): void {
  for (const e of b.entry ?? []) {
    if (e.resource === undefined) throw new Error('empty entry');
    const { errors } = validateFhir(e.resource);
    expect(errors.map((x) => x.message), e.resource.resourceType).toEqual([]);
  }
  expect(validateFhir(b).errors.map((x) => x.message)).toEqual([]);
}

describe.skipIf(!corpusPresent)('hl7ToFhirBundle vs the upstream converter', () => {
  it('ADT-A03-02: visit number, period end (same instant), patient identifier', () => {
    const ours = hl7ToFhirBundle(corpusHl7('ADT-A03-02.hl7'));
    const theirs = corpusJson<Bundle>('hl7v2/ADT-A03-02.expected.fhir.json');
    const [enc] = ofType<Encounter>(ours, 'Encounter');
    const [exp] = ofType<Encounter>(theirs, 'Encounter');
    const vn = (e: Encounter) => e.identifier?.find((i) => i.type?.coding?.[0]?.code === 'VN')?.value;
    expect(vn(enc)).toBe(vn(exp));
    expect(vn(enc)).toBe('40007716');
    // upstream shifts the offset (+05:30), we keep the sender's (+01:10): compare the instant
    expect(instant(enc.period?.end)).toBe(instant(exp.period?.end));
    expect(instant(enc.period?.start)).toBe(instant(exp.period?.start));
    expect(enc.status).toBe(exp.status);
    expect(enc.hospitalization?.dischargeDisposition?.coding?.[0]?.code).toBe(exp.hospitalization?.dischargeDisposition?.coding?.[0]?.code);
    const mr = (p: Patient) => p.identifier?.find((i) => i.type?.coding?.[0]?.code === 'MR')?.value;
    const [pat] = ofType<Patient>(ours, 'Patient');
    const theirMrs = ofType<Patient>(theirs, 'Patient')[0].identifier?.filter((i) => i.type?.coding?.[0]?.code === 'MR').map((i) => i.value);
    expect(theirMrs).toContain(mr(pat));
    expect(enc.subject?.reference).toBe(`urn:uuid:${pat.id ?? ''}`);
    expectValid(ours);
  });

  it('DFT-P03-01: charge codes, quantities, prices and the visit match the upstream ChargeItems', () => {
    const ours = hl7ToFhirBundle(corpusHl7('DFT-P03-01.hl7'));
    const theirs = corpusJson<Bundle>('hl7v2/DFT-P03-01.expected.fhir.json');
    const key = (c: ChargeItem) => [c.code?.coding?.[0]?.code, c.quantity?.value, c.priceOverride?.value, c.priceOverride?.currency, c.occurrenceDateTime];
    expect(ofType<ChargeItem>(ours, 'ChargeItem').map(key)).toEqual(ofType<ChargeItem>(theirs, 'ChargeItem').map(key));
    const [enc] = ofType<Encounter>(ours, 'Encounter');
    expect(enc.identifier?.[0]?.value).toBe(ofType<Encounter>(theirs, 'Encounter')[0].identifier?.[0]?.value);
    // the PR1/PRT device: same lot/serial/expiry as upstream's Device with a lot number
    const theirDevice = ofType<Device>(theirs, 'Device').find((d) => d.lotNumber !== undefined);
    const [ourDevice] = ofType<Device>(ours, 'Device');
    expect([ourDevice.lotNumber, ourDevice.serialNumber, ourDevice.expirationDate]).toEqual([theirDevice?.lotNumber, theirDevice?.serialNumber, theirDevice?.expirationDate]);
    expectValid(ours);
  });

  it('is deterministic, and transaction bundles carry PUT requests', () => {
    const a = hl7ToFhirBundle(corpusHl7('DFT-P11-01.hl7'));
    expect(hl7ToFhirBundle(corpusHl7('DFT-P11-01.hl7'))).toEqual(a);
    const t = hl7ToFhirBundle(corpusHl7('DFT-P11-01.hl7'), { bundleType: 'transaction' });
    expect(t.type).toBe('transaction');
    expect(t.entry?.every((e) => e.request?.method === 'PUT' && e.request.url.startsWith(`${e.resource?.resourceType ?? '?'}/`))).toBe(true);
  });

  it('refuses message types without a mapping', () => {
    const e = thrown(() => hl7ToFhirBundle(corpusHl7('ADT-A40-01.hl7')));
    expect([e.code, e.location]).toEqual(['mapping.message-type.unsupported', 'MSH-9']);
    expect(thrown(() => hl7ToFhirBundle(corpusHl7('SIU-S12-01.hl7'))).code).toBe('mapping.message-type.unsupported');
  });
});

describe('hl7ToFhirBundle on hand-made fixtures', () => {
  it('DFT with GS1 and HIBCC implants: Devices with udiCarrier and Procedures with focalDevice', () => {
    const b = hl7ToFhirBundle(fixtureHl7('dft-p03-udi-gs1-hibcc.hl7'), { now: new Date('2025-06-01T00:00:00Z') });
    const devices = ofType<Device>(b, 'Device');
    expect(devices.map((d) => d.udiCarrier?.[0]?.deviceIdentifier)).toEqual(['00884423456787', 'A123KNEE50001']);
    expect(devices.map((d) => d.udiCarrier?.[0]?.issuer)).toEqual(['http://hl7.org/fhir/NamingSystem/gs1-di', 'http://hl7.org/fhir/NamingSystem/hibcc-dI']);
    const procs = ofType<Procedure>(b, 'Procedure');
    expect(procs).toHaveLength(1); // both devices were implanted in the one PR1 procedure
    expect(procs[0].focalDevice?.map((f) => f.manipulated.reference)).toEqual(devices.map((d) => `urn:uuid:${d.id ?? ''}`));
    expect(ofType<ChargeItem>(b, 'ChargeItem').map((c) => c.status)).toEqual(['billable', 'entered-in-error']);
    expectValid(b);
  });

  it('an ADT without PV1-19 fails with mapping.field.missing at PV1-19', () => {
    expect(thrown(() => hl7ToFhirBundle(fixtureHl7('adt-a03-no-visit.hl7'))).location).toBe('PV1-19.1');
  });
});
