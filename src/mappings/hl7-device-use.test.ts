import { describe, expect, it } from 'vitest';
import { parseHl7v2 } from '../codecs/hl7v2/index.js';
import { mapHl7DeviceImplants, readHl7DeviceUses } from './hl7-device-use.js';
import { corpusHl7, corpusPresent, fixtureHl7, fixtureText, thrown } from './test-support.js';

const now = new Date('2025-06-01T00:00:00Z');

describe('device uses from HL7 v2', () => {
  it('OBX whose OBX-3 names a UDI, tied to the PR1 before it', () => {
    const [ev] = mapHl7DeviceImplants(fixtureHl7('adt-obx-udi.hl7'), { now });
    expect(ev.type).toBe('device.implanted');
    expect(ev.data).toMatchObject({ issuer: 'GS1', gtin: '00884423456787', serial: 'SN0099', usedAt: '2025-03-01T09:50:00-05:00', procedureCode: { code: '27447' }, encounter: 'V-9002' });
    expect(ev.id).toBe('device.implanted/V-9002/00884423456787/SN0099');
  });

  it('a bad UDI in OBX-5 is mapping.field.invalid at OBX-5', () => {
    const text = fixtureText('adt-obx-udi.hl7').replace('(01)00884423456787', '(01)00884423456780');
    const e = thrown(() => readHl7DeviceUses(parseHl7v2(text), { now }));
    expect(e.code).toBe('mapping.field.invalid');
    expect(e.location).toBe('OBX-5');
  });

  it('PRT outside a PR1 group (a person participation) is not a device use', () => {
    const text = fixtureText('dft-p03-udi-gs1-hibcc.hl7').replace('PR1|1||27447^Total knee arthroplasty^C4||20250301094500-0500', 'NTE|1||no procedure');
    expect(readHl7DeviceUses(parseHl7v2(text), { now })).toHaveLength(0);
  });

  it.skipIf(!corpusPresent)('corpus ADT-A03-01 (PR1 without device PRT) gives no device use', () => {
    expect(readHl7DeviceUses(corpusHl7('ADT-A03-01.hl7'))).toHaveLength(0);
  });
});

describe('PR1 → procedure.completed', () => {
  it('one event per PR1, id shared with the device use procedure', async () => {
    const { mapHl7Procedures } = await import('./hl7-procedures.js');
    const msg = fixtureHl7('dft-p03-udi-gs1-hibcc.hl7');
    const [ev] = mapHl7Procedures(msg);
    expect(ev.data).toMatchObject({ id: 'V-9001/PR1', code: { code: '27447', system: 'http://www.ama-assn.org/go/cpt' }, performedAt: '2025-03-01T09:45:00-05:00', encounter: 'V-9001' });
    expect(readHl7DeviceUses(msg, { now })[0].procedure).toBe(ev.data.id);
    const bad = parseHl7v2(fixtureText('dft-p03-udi-gs1-hibcc.hl7').replace('PR1|1||27447^Total knee arthroplasty^C4|', 'PR1|1|||'));
    expect(thrown(() => mapHl7Procedures(bad)).location).toBe('PR1-3');
  });
});
