import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CanonicalEvent } from '../canonical/index.js';
import { applyPatientMerge, mapPatientMerge, rekeyCorrelation, resolveMrn, type PatientKeyMap } from './hl7-patient-merge.js';
import { parseHl7v2 } from '../codecs/hl7v2/index.js';
import { corpusHl7, corpusPresent, thrown } from './test-support.js';

describe.skipIf(!corpusPresent)('ADT A40/A47 on the corpus', () => {
  it('A40: MRG-1 56789 merged into PID-3 12345', () => {
    const [ev] = mapPatientMerge(corpusHl7('ADT-A40-01.hl7'));
    expect(CanonicalEvent.parse(ev).type).toBe('patient.merged');
    expect(ev.data).toMatchObject({ kind: 'merge', from: '56789', to: '12345', fromSystem: 'BCBS', toSystem: 'BCBS' });
    expect(ev.occurredAt).toBe('2019-04-23T15:01:37+02:15');
  });

  it('A47: identifier change MR102 → MR101 with prior account MRG-3', () => {
    const [ev] = mapPatientMerge(corpusHl7('ADT-A47-01.hl7'));
    expect(ev.data).toMatchObject({ kind: 'identifier-change', from: 'MR102', to: 'MR101', account: 'PACCT101' });
  });

  it('the merge result rekeys correlation keys', () => {
    let keys: PatientKeyMap = new Map();
    for (const ev of mapPatientMerge(corpusHl7('ADT-A40-01.hl7'))) keys = applyPatientMerge(keys, ev.data);
    expect(rekeyCorrelation({ patient: '56789', encounter: 'V1' }, keys)).toEqual({ patient: '12345', encounter: 'V1' });
  });

  it('refuses A03', () => {
    expect(thrown(() => mapPatientMerge(corpusHl7('ADT-A03-01.hl7'))).code).toBe('mapping.message-type.unsupported');
  });
});

describe('patient key map', () => {
  it('an A40 without MRG is mapping.field.missing at MRG', () => {
    const msg = parseHl7v2('MSH|^~\\&|A|B|C|D|20250101||ADT^A40|1|P|2.5\rEVN|A40|20250101\rPID|1||NEW^^^H^MR');
    expect(thrown(() => mapPatientMerge(msg)).location).toBe('MRG');
    const msg2 = parseHl7v2('MSH|^~\\&|A|B|C|D|20250101||ADT^A40|1|P|2.5\rEVN|A40|20250101\rPID|1||NEW^^^H^MR\rMRG|');
    expect(thrown(() => mapPatientMerge(msg2)).location).toBe('MRG-1');
  });

  it('chains resolve to the newest MRN and the input map is not changed', () => {
    const k0: PatientKeyMap = new Map();
    const k1 = applyPatientMerge(k0, { from: 'A', to: 'B' });
    const k2 = applyPatientMerge(k1, { from: 'B', to: 'C' });
    expect(k0.size).toBe(0);
    expect(resolveMrn(k1, 'A')).toBe('B');
    expect([resolveMrn(k2, 'A'), resolveMrn(k2, 'B'), resolveMrn(k2, 'C')]).toEqual(['C', 'C', 'C']);
    // an unmerge (C back to A) makes A canonical and leaves no cycle
    const k3 = applyPatientMerge(k2, { from: 'C', to: 'A' });
    expect([resolveMrn(k3, 'A'), resolveMrn(k3, 'B'), resolveMrn(k3, 'C')]).toEqual(['A', 'A', 'A']);
  });

  it('property: after any sequence of merges, every key resolves in one hop to a non-aliased MRN', () => {
    const mrn = fc.constantFrom('A', 'B', 'C', 'D', 'E');
    fc.assert(fc.property(fc.array(fc.record({ from: mrn, to: mrn }), { maxLength: 20 }), (changes) => {
      let keys: PatientKeyMap = new Map();
      for (const c of changes) keys = applyPatientMerge(keys, c);
      for (const [, v] of keys) expect(keys.has(v)).toBe(false);
      const last = changes.at(-1);
      if (last && last.from !== last.to) expect(resolveMrn(keys, last.from)).toBe(last.to);
    }));
  });
});
