import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { build997, build999, buildTa1, parseX12, serializeX12, validateX12, x12Codec } from './index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/x12');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');
const options = { controlNumber: 900, timestamp: '2026-01-15T10:00:00Z', lineBreaks: true };

describe('997 golden (004010)', () => {
  it.each([
    ['po-850-accepted', 'AK5*A~'],
    ['po-850-errors-noted', 'AK5*E*5~'],
    ['po-850-rejected', 'AK5*R*4*5~'],
    ['asn-856-bad-hierarchy', 'AK5*R*5~'],
  ])('%s', (name, ak5) => {
    const ack = serializeX12(build997(parseX12(fixture(`${name}.edi`)), options));
    expect(ack).toBe(fixture(`${name}.997`));
    expect(ack).toContain(ak5);
  });

  it('swaps sender and receiver and keeps counts right', () => {
    const ack = build997(parseX12(fixture('po-850-rejected.edi')), options);
    expect(ack.senderId).toBe('VENDOR');
    expect(ack.receiverId).toBe('HOSPITAL');
    expect(ack.groups[0].gs.elements.slice(1, 3)).toEqual(['VENDOR', 'HOSPITAL']);
    expect(validateX12(ack).errors).toEqual([]);
    expect(ack.groups[0].sets[0].get('AK403')).toBe('1');
  });
});

describe('999 golden (005010)', () => {
  it('reports A, E and R sets in one group as partially accepted', () => {
    const ack = serializeX12(build999(parseX12(fixture('po-850-5010-mixed.edi')), options));
    expect(ack).toBe(fixture('po-850-5010-mixed.999'));
    expect(ack).toContain('IK5*A~');
    expect(ack).toContain('IK5*E*5~');
    expect(ack).toContain('IK5*R*5~');
    expect(ack).toContain('AK9*P*3*3*2~');
    expect(validateX12(parseX12(ack)).errors).toEqual([]);
  });
});

describe('TA1 golden', () => {
  it('rejects an interchange whose IEA02 differs from ISA13 (note 001)', () => {
    expect(serializeX12(buildTa1(parseX12(fixture('envelope-broken.edi')), undefined, options))).toBe(fixture('envelope-broken.ta1'));
  });
  it('accepts a sound envelope (note 000)', () => {
    expect(serializeX12(buildTa1(parseX12(fixture('po-850-accepted.edi')), undefined, options))).toBe(fixture('po-850-accepted.ta1'));
  });
  it('takes an explicit note code', () => {
    expect(serializeX12(buildTa1(parseX12(fixture('po-850-accepted.edi')), '024', options))).toContain('TA1*000000101*260115*0930*R*024~');
  });
});

describe('codec ack choice', () => {
  const o = { controlId: '900', timestamp: '2026-01-15T10:00:00Z' };
  it('TA1 for a broken envelope, 997 for 004010, 999 for 005010', () => {
    expect(x12Codec.ack?.(parseX12(fixture('envelope-broken.edi')), o)).toContain('~TA1*000000101*');
    expect(x12Codec.ack?.(parseX12(fixture('po-850-accepted.edi')), o)).toContain('~ST*997*0001~');
    expect(x12Codec.ack?.(parseX12(fixture('po-850-5010-mixed.edi')), o)).toContain('~ST*999*0001*005010X231A1~');
  });
});
