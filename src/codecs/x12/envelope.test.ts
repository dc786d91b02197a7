import { describe, expect, it } from 'vitest';
import { parseX12, validateX12 } from './index.js';

const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260115*0930*U*00401*000000001*0*P*>~';
function text(parts: { se?: string; ge?: string; iea?: string; gs08?: string } = {}): string {
  return `${ISA}GS*PO*S*R*20260115*0930*77*X*${parts.gs08 ?? '004010'}~ST*850*0001~BEG*00*SA*PO-9**20260115~PO1*1*5*EA*2.5**VP*A~` +
    `${parts.se ?? 'SE*4*0001'}~${parts.ge ?? 'GE*1*77'}~${parts.iea ?? 'IEA*1*000000001'}~`;
}

describe('envelope validation', () => {
  it('passes a consistent envelope', () => {
    expect(validateX12(parseX12(text()))).toEqual({ errors: [], warnings: [] });
  });

  it.each([
    ['SE01', { se: 'SE*12*0001' }, 'x12.envelope.count-mismatch', 'SE segment 6 element 1', 'SE01 says 12 segments but the set has 4: fix the count or the segments'],
    ['SE02', { se: 'SE*4*0002' }, 'x12.envelope.control-mismatch', 'SE segment 6 element 2', 'SE02 is "0002" but ST02 is "0001": make them equal'],
    ['GE01', { ge: 'GE*2*77' }, 'x12.envelope.count-mismatch', 'GE segment 7 element 1', 'GE01 says 2 transaction sets but the group has 1: fix the count or the sets'],
    ['GE02', { ge: 'GE*1*78' }, 'x12.envelope.control-mismatch', 'GE segment 7 element 2', 'GE02 is "78" but GS06 is "77": make them equal'],
    ['IEA01', { iea: 'IEA*3*000000001' }, 'x12.envelope.count-mismatch', 'IEA segment 8 element 1', 'IEA01 says 3 groups but the interchange has 1: fix the count or the groups'],
    ['IEA02', { iea: 'IEA*1*000000002' }, 'x12.envelope.control-mismatch', 'IEA segment 8 element 2', 'IEA02 is "000000002" but ISA13 is "000000001": make them equal'],
  ])('reports %s exactly', (_n, parts, code, location, message) => {
    const { errors } = validateX12(parseX12(text(parts)));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code, location, message });
  });

  it('reports missing trailers', () => {
    const t = `${ISA}GS*PO*S*R*20260115*0930*77*X*004010~ST*850*0001~BEG*00*SA*PO-9**20260115~PO1*1*5*EA*2.5~`;
    const codes = validateX12(parseX12(t)).errors.map((e) => `${e.code}@${e.location}`);
    expect(codes).toEqual(['x12.envelope.trailer-missing@IEA', 'x12.envelope.trailer-missing@GS segment 2', 'x12.envelope.trailer-missing@ST segment 3']);
  });

  it('checks the envelope but only warns x12.version.unsupported for other versions', () => {
    const r = validateX12(parseX12(text({ gs08: '003010', se: 'SE*5*0001' })));
    expect(r.errors.map((e) => e.code)).toEqual(['x12.envelope.count-mismatch']);
    expect(r.warnings.map((w) => w.code)).toEqual(['x12.version.unsupported']);
    expect(r.warnings[0].location).toBe('GS segment 2 element 8');
  });

  it('reports a missing mandatory segment and element from the 850 table', () => {
    const r = validateX12(parseX12(text().replace('BEG*00*SA*PO-9**20260115~', 'BEG*00*SA***20260115~')));
    expect(r.errors).toEqual([{ code: 'x12.element.missing', message: 'BEG03 is mandatory but empty in BEG segment 4: give it a value', location: 'BEG segment 4 element 3' }]);
    const noLines = validateX12(parseX12(text({ se: 'SE*3*0001' }).replace('PO1*1*5*EA*2.5**VP*A~', '')));
    expect(noLines.errors.map((e) => e.code)).toEqual(['x12.segment.missing']);
    expect(noLines.errors[0].message).toContain('mandatory loop PO1 of 850 is missing');
  });
});
