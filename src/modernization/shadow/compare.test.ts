import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHl7, compareJson, compareText } from './compare.js';

const loom = 'MSH|^~\\&|LOOM|HOSP|LIS|LAB|20261205080001||ADT^A01|L1|P|2.5.1\rPID|1||MRN1^^^MAIN^MR||DOE^JANE^Q\rOBX|1|NM|GLU||95\rOBX|2|NM|NA||140';
const legacy = 'MSH|^~\\&|MIRTH|HOSP|LIS|LAB|20261205080000||ADT^A01|M1|P|2.5.1\nPID|1||MRN1^^^MAIN^MR||DOE^JANE\nOBX|1|NM|GLU||95\nOBX|2|NM|NA||141';

describe('shadow output comparison', () => {
  it('names HL7 differences by segment occurrence, field and component, skipping ignored fields', () => {
    expect(compareHl7(loom, legacy, ['MSH-7', 'MSH-10'])).toEqual([
      { path: 'MSH-3', loom: 'LOOM', legacy: 'MIRTH' },
      { path: 'PID-5.3', loom: 'Q', legacy: '' },
      { path: 'OBX[2]-5', loom: '140', legacy: '141' },
    ]);
  });

  it('reports a segment only one side has', () => {
    expect(compareHl7('MSH|^~\\&|A\rPID|1', 'MSH|^~\\&|A\rPID|1\rZPI|x', [])).toEqual([{ path: 'ZPI', legacy: 'ZPI|x' }]);
  });

  it('compares JSON leaf by leaf by pointer and text line by line', () => {
    expect(compareJson('{"po":"1","lines":[{"qty":2}],"at":"x"}', '{"po":"1","lines":[{"qty":3}],"at":"y","extra":true}', ['/at'])).toEqual([
      { path: '/lines/0/qty', loom: '2', legacy: '3' },
      { path: '/extra', legacy: 'true' },
    ]);
    expect(compareText('ST*850*1~BEG*00~', 'ST*850*1~BEG*01~')).toEqual([{ path: 'line 2', loom: 'BEG*00', legacy: 'BEG*01' }]);
  });

  it('property: a message compared with itself (any line ending) has no differences', () => {
    const field = fc.stringMatching(/^[A-Za-z0-9^ ]{0,8}$/);
    const segment = fc.tuple(fc.constantFrom('PID', 'PV1', 'OBX', 'ZZZ'), fc.array(field, { maxLength: 6 })).map(([n, f]) => [n, ...f].join('|'));
    fc.assert(fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
      const message = ['MSH|^~\\&|A|B', ...segments].join('\r');
      expect(compareHl7(message, message.replace(/\r/g, '\r\n'), [])).toEqual([]);
    }));
  });
});
