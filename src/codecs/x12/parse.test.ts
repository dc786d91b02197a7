import { describe, expect, it } from 'vitest';
import { LoomError } from '../../kernel/errors.js';
import { getX12, parseX12, serializeX12 } from './index.js';

const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260115*0930*U*00401*000000001*0*P*>';
const body = (term: string, after = ''): string =>
  [ISA, 'GS*PO*S*R*20260115*0930*1*X*004010', 'ST*850*0001', 'BEG*00*SA*PO-9**20260115', 'N1*ST*MAIN*92*H1', 'N1*BT*FINANCE*92*F1',
    'PO1*1*5*EA*2.5**UK*00312345678906*VP*A-1', 'PO1*2*7*BX*4**VP*B>2', 'CTT*2', 'SE*8*0001', 'GE*1*1', 'IEA*1*000000001']
    .map((s) => s + term + after).join('');

function thrown(fn: () => unknown): LoomError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LoomError) return e;
    throw e;
  }
  throw new Error('expected a LoomError');
}

describe('parseX12 delimiters and quirks', () => {
  it.each([
    ['~ terminator', body('~')],
    ['~ plus LF', body('~', '\n')],
    ['~ plus CRLF', body('~', '\r\n')],
    ['newline-only terminator', body('\n')],
    ['CRLF-only terminator', body('\r\n')],
  ])('reads %s and round-trips byte for byte', (_name, text) => {
    const ic = parseX12(text);
    expect(ic.groups[0].sets[0].get('BEG03')).toBe('PO-9');
    expect(ic.groups[0].sets[0].segments).toHaveLength(8);
    expect(serializeX12(ic)).toBe(text);
  });

  it('strips a BOM from bytes and re-emits it on serialize', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(body('~'))]);
    const ic = parseX12(bytes);
    expect(ic.bom).toBe(true);
    expect(ic.isa.id).toBe('ISA');
    expect(Buffer.from(serializeX12(ic)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('accepts a non-fixed-width ISA and takes delimiters from it', () => {
    const text = 'ISA|00| |00| |16|054481205 |16|1234|070110|1200|U|00300|000000001|0|P|@!GS|RA|A|B|070110|1200|1|X|003010!ST|820|1!BPS|X|1@2!SE|3|1!GE|1|1!IEA|1|000000001!';
    const ic = parseX12(text);
    expect(ic.delimiters).toEqual({ element: '|', component: '@', repetition: undefined, segment: '!' });
    expect(ic.senderId).toBe('054481205');
    expect(getX12(ic.groups[0].sets[0], 'BPS02-2')).toBe('2');
    expect(serializeX12(ic)).toBe(text);
  });

  it('reads ISA11 as the repetition separator from 00501 on', () => {
    const ic = parseX12(body('~').replace('*U*00401*', '*^*00501*'));
    expect(ic.delimiters.repetition).toBe('^');
    expect(parseX12(body('~')).delimiters.repetition).toBeUndefined();
  });

  it('chains a second interchange on next', () => {
    const text = body('~', '\n') + body('~', '\n');
    const ic = parseX12(text);
    expect(ic.next?.groups[0].sets[0].type).toBe('850');
    expect(serializeX12(ic)).toBe(text);
  });
});

describe('parseX12 errors', () => {
  it('rejects an ISA broken across lines', () => {
    const e = thrown(() => parseX12(body('~').replace('*260115*', '*26\n0115*')));
    expect(e.code).toBe('x12.isa.invalid');
    expect(e.location).toBe('ISA09');
    expect(e.message).toBe('ISA09 contains a line break: the ISA is broken across lines');
  });

  it('rejects a truncated ISA', () => {
    expect(thrown(() => parseX12('ISA*00*   *00')).code).toBe('x12.isa.invalid');
    expect(thrown(() => parseX12('UNB+UNOA')).code).toBe('x12.isa.invalid');
  });

  it('rejects a malformed segment id with its position', () => {
    const e = thrown(() => parseX12(body('~').replace('CTT*2', 'ct t*2')));
    expect(e.code).toBe('x12.segment.invalid-id');
    expect(e.location).toBe('segment 9');
  });

  it('rejects data segments outside ST/SE', () => {
    const e = thrown(() => parseX12(body('~').replace('ST*850*0001~', '')));
    expect(e.code).toBe('x12.envelope.structure');
    expect(e.location).toBe('BEG segment 3');
  });
});

describe('get paths', () => {
  const set = parseX12(body('~')).groups[0].sets[0];
  it.each([
    ['BEG03', 'PO-9'],
    ['BEG04', ''],
    ['N1[2]02', 'FINANCE'],
    ['N102', 'MAIN'],
    ['PO1[2]02', '7'],
    ['PO107', '00312345678906'],
    ['PO1[2]07-2', '2'],
    ['PO1[2]07-1', 'B'],
    ['PO1[3]02', undefined],
    ['BEG09', undefined],
    ['SE01', '8'],
    ['ST02', '0001'],
  ])('%s → %s', (path, want) => {
    expect(set.get(path)).toBe(want);
    expect(getX12(set, path)).toBe(want);
  });

  it('rejects paths outside the SEG[n]NN-k grammar', () => {
    expect(thrown(() => set.get('BEG3')).code).toBe('x12.path.invalid');
    expect(thrown(() => set.get('PO1[0]02')).code).toBe('x12.path.invalid');
  });
});
