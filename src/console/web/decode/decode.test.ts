import { describe, expect, it } from 'vitest';
import { detectPayload } from './detect.js';
import { decodeHl7 } from './hl7.js';
import { fieldName, knownSegments } from './hl7-fields.js';
import { decodeX12 } from './x12.js';

describe('HL7 field dictionary', () => {
  it('names fields by number', () => {
    expect(fieldName('PID', 5)).toBe('Patient Name');
    expect(fieldName('PID', 3)).toBe('Patient Identifier List');
    expect(fieldName('PV1', 19)).toBe('Visit Number');
    expect(fieldName('PV1', 45)).toBe('Discharge Date/Time');
    expect(fieldName('MSH', 10)).toBe('Message Control ID');
    expect(fieldName('MSA', 1)).toBe('Acknowledgment Code');
    expect(fieldName('FT1', 7)).toBe('Transaction Code');
    expect(fieldName('OBX', 5)).toBe('Observation Value');
    expect(fieldName('PRT', 19)).toBe('Participant Device Lot Number');
    expect(fieldName('ZZZ', 1)).toBeUndefined();
    expect(fieldName('PID', 0)).toBeUndefined();
  });

  it('covers the segments the console promises', () => {
    for (const s of ['MSH', 'EVN', 'PID', 'PV1', 'PV2', 'FT1', 'PR1', 'PRT', 'OBX', 'OBR', 'ORC', 'NK1', 'IN1', 'DG1', 'MSA', 'ERR', 'SCH', 'AIS', 'RXE']) {
      expect(knownSegments).toContain(s);
    }
  });
});

describe('decodeHl7', () => {
  it('numbers MSH fields from the separator and others from the segment id', () => {
    const segs = decodeHl7('MSH|^~\\&|EPIC|HOSP|||20260101||ADT^A01|CTL1|P|2.5.1\rPID|1||MRN1^^^H^MR||DOE^JANE');
    const msh10 = segs[0]!.fields.find((f) => f.ref === 'MSH-10');
    expect(msh10).toEqual({ ref: 'MSH-10', name: 'Message Control ID', value: 'CTL1' });
    expect(segs[0]!.fields[0]).toEqual({ ref: 'MSH-1', name: 'Field Separator', value: '|' });
    expect(segs[1]!.fields.map((f) => f.ref)).toEqual(['PID-1', 'PID-3', 'PID-5']);
    expect(segs[1]!.fields[2]!.name).toBe('Patient Name');
  });

  it('counts repeated segments', () => {
    const segs = decodeHl7('MSH|^~\\&|A\nOBX|1|NM\nOBX|2|NM');
    expect(segs.map((s) => s.occurrence)).toEqual([1, 1, 2]);
  });
});

describe('decodeX12', () => {
  it('takes delimiters from the ISA and labels elements by position', () => {
    const isa = 'ISA*00*          *00*          *ZZ*HOSPITAL       *ZZ*VENDOR01       *261126*0845*^*00501*000000905*0*P*:~';
    expect(isa.length).toBe(106);
    const segs = decodeX12(`${isa}\nST*850*0001~\nBEG*00*SA*PO-4711**20261126~`);
    expect(segs.map((s) => s.id)).toEqual(['ISA', 'ST', 'BEG']);
    expect(segs[2]!.elements[2]).toEqual({ ref: 'BEG03', value: 'PO-4711' });
  });
});

describe('detectPayload', () => {
  it('uses the content type, then the first bytes', () => {
    expect(detectPayload('application/fhir+json', '{}')).toBe('json');
    expect(detectPayload('application/edi-x12', 'ISA*')).toBe('x12');
    expect(detectPayload('', 'MSH|^~\\&')).toBe('hl7v2');
    expect(detectPayload('application/octet-stream', 'hello')).toBe('text');
  });
});
