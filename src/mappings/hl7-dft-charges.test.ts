import { describe, expect, it } from 'vitest';
import { parseHl7v2 } from '../codecs/hl7v2/index.js';
import { CanonicalEvent, Systems } from '../canonical/index.js';
import { loadCrosswalkCsv } from './crosswalk.js';
import { mapDftCharges } from './hl7-dft-charges.js';
import { corpusHl7, corpusPresent, fixtureHl7, fixtureText, thrown } from './test-support.js';

const now = new Date('2025-06-01T00:00:00Z');
const { crosswalk } = loadCrosswalkCsv(fixtureText('crosswalk-v1.csv'));

describe.skipIf(!corpusPresent)('DFT charges on the corpus', () => {
  for (const [file, secondAmount] of [['DFT-P03-01.hl7', '120'], ['DFT-P03-02.hl7', '120'], ['DFT-P11-01.hl7', '70']] as const) {
    it(`${file}: one ChargeEvent per FT1`, () => {
      const { charges } = mapDftCharges(corpusHl7(file));
      expect(charges).toHaveLength(2);
      for (const c of charges) expect(CanonicalEvent.safeParse(c).success).toBe(true);
      const [a, b] = charges;
      expect(a.type).toBe('charge.captured');
      expect(a.data).toMatchObject({
        id: '40007716/12345', // PV1-19 / FT1-2
        kind: 'charge', transactionType: 'CG',
        code: { code: '71045', system: Systems.cpt, display: 'Xray exam chest 1 view' }, // FT1-7, C4 → CPT
        procedureCode: { code: '71045', system: Systems.cpt }, // FT1-25
        serviceDate: '2019-11-22', // FT1-4
        quantity: '2', // FT1-10
        extendedAmount: { amount: '100', currency: 'USD' }, // FT1-11
        encounter: '40007716', patientMrn: 'PATID1234',
      });
      expect(a.correlation).toEqual({ encounter: '40007716', patient: 'PATID1234' });
      // FT1[2] has no FT1-2: id from the control id and position, stable on resend
      expect(b.data.id).toBe('40007716/MSG00001/FT1[2]');
      expect(b.data.quantity).toBe('1');
      expect(b.data.extendedAmount).toEqual({ amount: secondAmount, currency: 'USD' });
    });
  }

  it('DFT-P03-01 unit amount FT1-12 and department FT1-13', () => {
    const { charges } = mapDftCharges(corpusHl7('DFT-P03-01.hl7'));
    expect(charges[0].data.unitAmount).toEqual({ amount: '50', currency: 'USD' });
    expect(charges[0].data.department).toBe('RAD-1');
  });

  it('DFT-P03-01: the PRT after PR1 gives a GS1 device use from PRT-16/18/19/20', () => {
    const { devices } = mapDftCharges(corpusHl7('DFT-P03-01.hl7'));
    expect(devices).toHaveLength(1);
    expect(devices[0].data).toMatchObject({ issuer: 'GS1', di: '00643169001763', gtin: '00643169001763', lot: '123ABC', serial: '21A11F4855', expiry: '2022-07-12' });
    expect(devices[0].data.procedureCode?.code).toBe('71045');
  });

  it('with the crosswalk, charges carry GL account, item and cost center', () => {
    const { charges } = mapDftCharges(corpusHl7('DFT-P11-01.hl7'), { crosswalk });
    expect(charges[0].data).toMatchObject({ glAccount: '5200 - Radiology Supplies - H', costCenter: 'RAD - H' });
    expect(charges[1].data.glAccount).toBe('5300 - Misc - H');
    expect(charges[1].data.costCenter).toBeUndefined(); // no crosswalk cost center and FT1[2]-13 empty
  });

  it('a crosswalk miss is mapping.code.unknown at FT1[n]-7', () => {
    const small = { ...crosswalk, rows: crosswalk.rows.filter((r) => !(r.kind === 'charge' && r.chargeCode === '626.2')) };
    const e = thrown(() => mapDftCharges(corpusHl7('DFT-P03-01.hl7'), { crosswalk: small }));
    expect(e.code).toBe('mapping.code.unknown');
    expect(e.location).toBe('FT1[2]-7');
    expect(e.message).toContain('626.2');
  });
});

describe('DFT with implant UDIs (hand-made)', () => {
  const msg = fixtureHl7('dft-p03-udi-gs1-hibcc.hl7');

  it('maps CG to charge.captured and CD to charge.reversed with unit cost FT1-22 and HCPCS FT1-25', () => {
    const { charges } = mapDftCharges(msg, { crosswalk, now });
    expect(charges.map((c) => c.type)).toEqual(['charge.captured', 'charge.reversed']);
    expect(charges[0].data).toMatchObject({
      unitCost: { amount: '1850.5000', currency: 'USD' },
      procedureCode: { code: 'C1776', system: Systems.hcpcs },
      itemId: 'ITEM-KNEE-5000', glAccount: '5100 - Implant Expense - H', costCenter: 'OR - H',
    });
    expect(charges[1].data.kind).toBe('credit');
    expect(charges[0].correlation.item).toBe('ITEM-KNEE-5000');
  });

  it('reads a GS1 and a HIBCC UDI from PRT-10 into device.implanted events', () => {
    const { devices } = mapDftCharges(msg, { now });
    expect(devices).toHaveLength(2);
    const [gs1, hibcc] = devices;
    expect(gs1.data).toMatchObject({ issuer: 'GS1', di: '00884423456787', gtin: '00884423456787', lot: 'LOT7781', serial: 'SN0042', expiry: '2027-06-30', usedAt: '2025-03-01T09:50:00-05:00', encounter: 'V-9001', patientMrn: 'MRN-7001', procedureCode: { code: '27447' } });
    expect(hibcc.data).toMatchObject({ issuer: 'HIBCC', di: 'A123KNEE50001', lot: 'HLOT55', serial: 'HSER9', expiry: '2028-01-31' });
    expect(hibcc.data.gtin).toBeUndefined();
    expect(gs1.correlation).toMatchObject({ item: '00884423456787', lot: 'LOT7781', serial: 'SN0042', encounter: 'V-9001' });
    for (const d of devices) expect(CanonicalEvent.safeParse(d).success).toBe(true);
  });

  it('a negative quantity on CG is a reversal with positive amounts', () => {
    const text = fixtureText('dft-p03-udi-gs1-hibcc.hl7').replace('|CG|C1776^Joint device implantable^HCPCS|||1|4200.00&USD', '|CG|C1776^Joint device implantable^HCPCS|||-1|-4200.00&USD');
    const { charges } = mapDftCharges(parseHl7v2(text), { now });
    expect(charges[0].type).toBe('charge.reversed');
    expect(charges[0].data.quantity).toBe('1');
    expect(charges[0].data.extendedAmount?.amount).toBe('4200.00');
  });

  const edit = (from: string, to: string) => parseHl7v2(fixtureText('dft-p03-udi-gs1-hibcc.hl7').replace(from, to));

  it.each([
    ['FT1-6 empty', '|20250301|20250301|CG|', '|20250301|20250301||', 'mapping.field.missing', 'FT1-6.1'],
    ['FT1-6 payment', '|20250301|20250301|CG|', '|20250301|20250301|PY|', 'mapping.field.invalid', 'FT1-6'],
    ['FT1-7 empty', '|CG|C1776^Joint device implantable^HCPCS|', '|CG||', 'mapping.field.missing', 'FT1-7'],
    ['FT1-4 empty', 'FT1|1|TX-1||20250301|', 'FT1|1|TX-1|||', 'mapping.field.missing', 'FT1-4'],
    ['FT1-10 text', '^HCPCS|||1|4200.00&USD', '^HCPCS|||one|4200.00&USD', 'mapping.field.invalid', 'FT1-10'],
    ['FT1-11 text', '^HCPCS|||1|4200.00&USD', '^HCPCS|||1|lots&USD', 'mapping.field.invalid', 'FT1-11.1.1'],
    ['PV1-19 empty', 'V-9001^^^MAIN^VN', '', 'mapping.field.missing', 'PV1-19.1'],
    ['PRT-10 bad UDI', '(01)00884423456787(17)270630', '(01)00884423456788(17)270630', 'mapping.field.invalid', 'PRT-10.1'],
  ])('%s is refused with the code and location', (_name, from, to, code, location) => {
    const e = thrown(() => mapDftCharges(edit(from, to), { now }));
    expect(e.code).toBe(code);
    expect(e.location).toBe(location);
  });

  it('refuses a non-DFT message', () => {
    const e = thrown(() => mapDftCharges(fixtureHl7('adt-obx-udi.hl7')));
    expect(e.code).toBe('mapping.message-type.unsupported');
  });
});
