import { describe, expect, it } from 'vitest';
import { LoomError } from '../../kernel/errors.js';
import { parseHl7v2 } from './index.js';

const MSG = [
  'MSH|^~\\&|LOOMEHR|NORTHWIND|LOOMENGINE|NW|20240301123000-0500||ADT^A03^ADT_A03|CTRL42|P|2.5.1|||AL|NE',
  'EVN|A03|20240301122955-0500',
  'PID|1||MRN1^^^NW^MR~SSN9^^^SSA^SS||DOE&VAN&DER^JANE^Q|""|19580412|F',
  'PV1|1|I|4W^412^B||||||||||||||||V009^^^NW^VN',
  'OBX|1|NM|718-7^Hgb^LN||12.1|g/dL',
  'OBX|2|ST|NOTE^Note^L||Line one\\.br\\Line \\F\\two\\S\\three \\T\\ \\R\\ \\E\\ \\X41C3A9\\ \\H\\bold\\N\\|',
].join('\r');

describe('parseHl7v2 paths', () => {
  const m = parseHl7v2(MSG);
  it('reads the header', () => {
    expect(m.type).toBe('ADT^A03');
    expect(m.controlId).toBe('CTRL42');
    expect(m.version).toBe('2.5.1');
  });
  it('numbers MSH per the standard', () => {
    expect(m.get('MSH-1')).toBe('|');
    expect(m.get('MSH-2')).toBe('^~\\&');
    expect(m.get('MSH-3')).toBe('LOOMEHR');
    expect(m.get('MSH-9.3')).toBe('ADT_A03');
    expect(m.get('MSH-10')).toBe('CTRL42');
  });
  it('reads fields, repetitions, components and subcomponents', () => {
    expect(m.get('PID-3')).toBe('MRN1^^^NW^MR'); // first repetition, delimiters kept
    expect(m.get('PID-3.1')).toBe('MRN1');
    expect(m.get('PID-3[2].1')).toBe('SSN9');
    expect(m.get('PID-3[2].4')).toBe('SSA');
    expect(m.get('PID-3[3].1')).toBeUndefined();
    expect(m.get('PID-5.1')).toBe('DOE&VAN&DER');
    expect(m.get('PID-5.1.2')).toBe('VAN');
    expect(m.get('PID-5.2')).toBe('JANE');
    expect(m.get('PID-5.9')).toBe('');
    expect(m.get('PID-30')).toBe('');
    expect(m.getAll('PID-3.1')).toEqual(['MRN1', 'SSN9']);
    expect(m.repetitionCount('PID-3')).toBe(2);
  });
  it('addresses repeated segments', () => {
    expect(m.count('OBX')).toBe(2);
    expect(m.get('OBX-5')).toBe('12.1');
    expect(m.get('OBX[2]-3.1')).toBe('NOTE');
    expect(m.get('OBX[3]-5')).toBeUndefined();
    expect(m.get('NTE-1')).toBeUndefined();
  });
  it('decodes escapes on read', () => {
    expect(m.get('OBX[2]-5')).toBe('Line one\nLine |two^three & ~ \\ Aé \\H\\bold\\N\\');
  });
  it('keeps explicit null distinct from empty', () => {
    expect(m.get('PID-6')).toBe('""');
    expect(m.isNull('PID-6')).toBe(true);
    expect(m.isNull('PID-4')).toBe(false);
    expect(m.get('PID-4')).toBe('');
  });
  it('rejects bad paths with LoomError', () => {
    expect(() => m.get('pid-5')).toThrow(LoomError);
    expect(() => m.get('PID-0')).toThrow(/index 0/);
  });
});

describe('segment terminators, BOM, delimiters', () => {
  const segs = ['MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5', 'PID|1||42||DOE^JOHN', 'PV1|1|O'];
  it.each([['CR', '\r'], ['CRLF', '\r\n'], ['LF', '\n']])('accepts %s and serializes with CR', (_n, term) => {
    const m = parseHl7v2(segs.join(term) + term);
    expect(m.segmentNames()).toEqual(['MSH', 'PID', 'PV1']);
    expect(m.get('PID-5.2')).toBe('JOHN');
    expect(m.toString()).toBe(segs.join('\r') + '\r');
  });
  it('strips a UTF-8 BOM from text and bytes', () => {
    expect(parseHl7v2('\uFEFF' + segs.join('\r')).type).toBe('ADT^A01');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(segs.join('\r'))]);
    expect(parseHl7v2(bytes).get('PID-5.1')).toBe('DOE');
  });
  it('reads non-standard delimiters from MSH-1/MSH-2', () => {
    const m = parseHl7v2('MSH*:#!@*A*B*C*D*20240101**ADT:A04*7*P*2.4\rPID*1**X1#X2**DOE:JO!S!HN@ONE:X!S!Y');
    expect(m.type).toBe('ADT^A04');
    expect(m.get('PID-3[2]')).toBe('X2');
    expect(m.get('PID-5.2')).toBe('JO!S!HN@ONE'); // holds a subcomponent separator: as written
    expect(m.get('PID-5.2.1')).toBe('JO:HN');
    expect(m.get('PID-5.2.2')).toBe('ONE');
    expect(m.get('PID-5.3')).toBe('X:Y');
    expect(m.get('MSH-2')).toBe(':#!@');
  });
  it('accepts a fifth (truncation) encoding character, v2.7+', () => {
    const m = parseHl7v2('MSH|^~\\&#|A|B|C|D|20240101||ORU^R01|9|P|2.7\rNTE|1||cut\\P\\here');
    expect(m.delimiters.truncation).toBe('#');
    expect(m.get('NTE-3')).toBe('cut#here');
  });
  it('decodes bytes per MSH-18', () => {
    const latin = Buffer.concat([Buffer.from('MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5|||||USA|8859/1\rPID|1||1||M'), Buffer.from([0xfc]), Buffer.from('LLER')]);
    expect(parseHl7v2(latin).get('PID-5')).toBe('MÜLLER'.replace('Ü', 'ü'));
    const utf8 = Buffer.from('MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5|||||USA|UNICODE UTF-8\rPID|1||1||MÜLLER', 'utf8');
    expect(parseHl7v2(utf8).get('PID-5')).toBe('MÜLLER');
    const bad = Buffer.from('MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5|||||USA|EBCDIC\rPID|1');
    expect(() => parseHl7v2(bad)).toThrow(expect.objectContaining({ code: 'hl7.charset.unsupported', location: 'MSH-18' }));
  });
});

describe('invalid input', () => {
  it.each([
    ['', 'hl7.segment.missing'],
    ['PID|1', 'hl7.segment.missing'],
    ['MSH|^~|A', 'hl7.delimiters.invalid'],
    ['MSH|^~\\&|A\rpid|1', 'hl7.segment.invalid'],
    ['MSH|^~\\&|A\rMSH|^~\\&|B', 'hl7.message.multiple'],
    ['FHS|^~\\&|A\rMSH|^~\\&|B', 'hl7.batch.unexpected'],
  ])('%j throws %s', (text, code) => {
    expect(() => parseHl7v2(text)).toThrow(expect.objectContaining({ code }));
  });
});

describe('set and serialize', () => {
  it('encodes on set, pads missing positions and round-trips', () => {
    const m = parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||ADT^A08|1|P|2.5\rPID|1||42');
    m.set('PID-5.1', "O|Brien^&~\\").set('PID-5.3.2', 'x').set('PV1-2', 'I').set('PID-3[2].1', 'SSN');
    expect(m.segmentText(1)).toBe('PID|1||42~SSN||O\\F\\Brien\\S\\\\T\\\\R\\\\E\\^^&x');
    expect(m.get('PID-5.1')).toBe("O|Brien^&~\\");
    expect(m.get('PV1-2')).toBe('I');
    expect(parseHl7v2(m.toString()).toString()).toBe(m.toString());
    expect(() => m.set('MSH-2', 'x')).toThrow(expect.objectContaining({ code: 'hl7.path.readonly' }));
    expect(() => m.set('OBX[2]-5', 'x')).toThrow(expect.objectContaining({ code: 'hl7.segment.missing' }));
  });
  it('updates the header view after setting MSH fields', () => {
    const m = parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||ADT^A08|1|P|2.5');
    m.set('MSH-10', 'NEW1');
    expect(m.controlId).toBe('NEW1');
  });
});
