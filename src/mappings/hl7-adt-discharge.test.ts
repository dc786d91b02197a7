import { describe, expect, it } from 'vitest';
import { parseHl7v2 } from '../codecs/hl7v2/index.js';
import { CanonicalEvent } from '../canonical/index.js';
import { mapAdtDischarge } from './hl7-adt-discharge.js';
import { corpusHl7, corpusPresent, fixtureHl7, fixtureText, thrown } from './test-support.js';

describe.skipIf(!corpusPresent)('ADT discharge on the corpus', () => {
  for (const file of ['ADT-A03-01.hl7', 'ADT-A03-02.hl7']) {
    it(`${file} → encounter.discharged`, () => {
      const ev = mapAdtDischarge(corpusHl7(file));
      expect(CanonicalEvent.parse(ev)).toEqual(ev);
      expect(ev.type).toBe('encounter.discharged');
      if (ev.type !== 'encounter.discharged') return;
      expect(ev.data.visitNumber.value).toBe('40007716'); // PV1-19.1
      expect(ev.data.visitNumber.system).toBe('AccMng'); // PV1-19.4.1
      expect(ev.data.dischargedAt).toBe('2015-02-09T11:34:19+01:10'); // PV1-45
      expect(ev.data.admittedAt).toBe('2015-02-08T11:34:19+01:10'); // PV1-44
      expect(ev.occurredAt).toBe(ev.data.dischargedAt);
      expect(ev.data.disposition).toEqual({ code: 'Admitted as Inpatient', display: 'Sample', system: 'ACR' }); // PV1-36
      expect(ev.data.patientMrn).toBe('PATID1234'); // PID-3 rep typed MR
      expect(ev.data.location).toEqual({ pointOfCare: 'HUH AE OMU', room: 'OMU B', bed: 'Bed 03', facility: 'HOMERTON UNIVER' });
      expect(ev.correlation).toEqual({ encounter: '40007716', patient: 'PATID1234' });
      expect(ev.data.status).toBe('finished');
    });
  }

  it('ADT-A13-01 → encounter.discharge-cancelled, no discharge time, occurredAt from EVN', () => {
    const ev = mapAdtDischarge(corpusHl7('ADT-A13-01.hl7'));
    expect(ev.type).toBe('encounter.discharge-cancelled');
    expect(ev.data.dischargedAt).toBeUndefined();
    expect(ev.data.status).toBe('in-progress');
    expect(ev.occurredAt).toBe('2021-08-17T15:19:43.4+02:00'); // EVN-6 event occurred
    expect(CanonicalEvent.safeParse(ev).success).toBe(true);
  });

  it('gives the same id when the same message is mapped twice (idempotent receivers)', () => {
    expect(mapAdtDischarge(corpusHl7('ADT-A03-01.hl7')).id).toBe(mapAdtDischarge(corpusHl7('ADT-A03-02.hl7')).id);
  });

  it('refuses other message types', () => {
    const e = thrown(() => mapAdtDischarge(corpusHl7('DFT-P03-01.hl7')));
    expect(e.code).toBe('mapping.message-type.unsupported');
    expect(e.location).toBe('MSH-9');
  });
});

describe('ADT discharge on hand-made fixtures', () => {
  it('a discharge without PV1-19 fails with mapping.field.missing at PV1-19 and a hint', () => {
    const e = thrown(() => mapAdtDischarge(fixtureHl7('adt-a03-no-visit.hl7')));
    expect(e.code).toBe('mapping.field.missing');
    expect(e.location).toBe('PV1-19.1');
    expect(e.hint).toMatch(/PV1-19/);
  });

  it('a discharge without PID-3 fails at PID-3', () => {
    const e = thrown(() => mapAdtDischarge(parseHl7v2(a03({ 19: 'V1', 45: '20250301113000-0500' }, ''))));
    expect(e.code).toBe('mapping.field.missing');
    expect(e.location).toBe('PID-3');
  });

  it('a malformed PV1-45 fails with mapping.field.invalid naming the field', () => {
    const e = thrown(() => mapAdtDischarge(parseHl7v2(a03({ 19: 'V1', 45: '2025-03-01' }))));
    expect(e.code).toBe('mapping.field.invalid');
    expect(e.location).toBe('PV1-45');
  });

  it('falls back to EVN-2 when PV1-45 is empty, and takes the last PV1-45 repetition', () => {
    expect(mapAdtDischarge(parseHl7v2(a03({ 19: 'V1' }))).occurredAt).toBe('2025-03-01T12:00:00-05:00');
    const ev = mapAdtDischarge(parseHl7v2(a03({ 19: 'V1', 45: '20250301100000-0500~20250301113000-0500' })));
    expect(ev.data.dischargedAt).toBe('2025-03-01T11:30:00-05:00');
  });
});

/** An ADT^A03 with the given PV1 fields (field number → raw value). */
function a03(pv1: Record<number, string>, pid3 = 'MRN-7001^^^MAIN^MR'): string {
  const n = Math.max(...Object.keys(pv1).map(Number));
  const fields = Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 'PV1' : pv1[i] ?? ''));
  return ['MSH|^~\\&|EHR|MAIN|LOOM|MAIN|20250301120000-0500||ADT^A03|C1|P|2.5.1', 'EVN|A03|20250301120000-0500',
    `PID|1||${pid3}||DOE^JANE`, fields.join('|')].join('\r');
}
