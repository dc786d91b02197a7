import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';

describe('detectFormat', () => {
  it.each([
    ['MSH|^~\\&|EHR|HOSP|||20240101||ADT^A03|1|P|2.5', undefined, 'hl7v2'],
    ['\uFEFFMSH|^~\\&|X', undefined, 'hl7v2'],
    ['FHS|^~\\&|X', undefined, 'hl7v2'],
    ['ISA*00*          *00*', undefined, 'x12'],
    ['{ "resourceType": "Device", "id": "x" }', undefined, 'fhir'],
    ['(01)00884838094589(17)251231(10)LOT1', undefined, 'udi'],
    [']d201008848380945891725123110LOT1', undefined, 'udi'],
    ['+H123PN12341/$$3251231LOT1Y', undefined, 'udi'],
    ['id,name\n1,a', 'items.csv', 'csv'],
  ] as const)('detects %s', (text, name, expected) => {
    expect(detectFormat(text, name)).toBe(expected);
  });

  it('detects from bytes and gives up on unknown input', () => {
    expect(detectFormat(Buffer.from('ISA*00*'))).toBe('x12');
    expect(detectFormat('hello world')).toBeUndefined();
    expect(detectFormat('{"no":"type"}')).toBeUndefined();
  });
});
