import { describe, expect, it } from 'vitest';
import { build850, parseX12, serializeX12, validateX12 } from '../codecs/x12/index.js';
import { parsePartnerProfile } from './index.js';
import { restampInterchange } from './restamp.js';

const numbers = { partner: 'V', isa13: '000000042', gs06: '42', st02: ['0042'], reused: false };
function po(version: '004010' | '005010' = '004010'): string {
  return serializeX12(build850({ poNumber: 'PO-7', date: '2026-03-02', vendor: { name: 'Acme', id: 'VENDOR-A' }, lines: [{ quantity: 2, uom: 'EA', unitPrice: 9.5, gtin: '00812345000012' }] }, {
    senderId: 'OLD', receiverId: 'OLDTHEM', controlNumber: 1, timestamp: '2026-03-02T08:00:00Z', version,
  }));
}

describe('restampInterchange', () => {
  it('writes numbers, ids and the partner delimiters; the result validates and keeps the content', () => {
    const profile = parsePartnerProfile({ partnerId: 'V', ours: { qualifier: '01', id: 'LOOMHOSP', application: 'LOOMAPP' }, theirs: { id: 'ACMEORTHO' },
      delimiters: { element: '|', component: '^', segment: '\n' }, usage: 'T' });
    const text = restampInterchange(parseX12(po()), profile, numbers);
    expect(text.split('\n')[0]).toMatch(/^ISA\|00\|.{10}\|00\|.{10}\|01\|LOOMHOSP {7}\|ZZ\|ACMEORTHO {6}\|\d{6}\|\d{4}\|U\|00401\|000000042\|0\|T\|\^$/);
    const ic = parseX12(text);
    expect(validateX12(ic).errors).toEqual([]);
    expect(ic.delimiters).toMatchObject({ element: '|', component: '^', segment: '\n' });
    const g = ic.groups[0];
    expect([g.gs.elements[1], g.gs.elements[2], g.controlNumber, g.ge?.elements[1], g.sets[0].controlNumber, g.sets[0].se?.elements[1], ic.iea?.elements[1]])
      .toEqual(['LOOMAPP', 'ACMEORTHO', '42', '42', '0042', '0042', '000000042']);
    expect(g.sets[0].get('BEG03')).toBe('PO-7');
    expect(g.sets[0].get('PO107')).toBe('00812345000012');
  });

  it('sets ISA11 to the repetition separator in 005010 and adds newlines when asked', () => {
    const profile = parsePartnerProfile({ partnerId: 'V', version: '005010', ours: { id: 'US' }, theirs: { id: 'THEM' }, delimiters: { repetition: '{', newline: true } });
    const text = restampInterchange(parseX12(po('005010')), profile, numbers);
    expect(text).toContain('~\nGS*');
    expect(parseX12(text).delimiters).toMatchObject({ repetition: '{', component: ':' });
  });

  it('refuses a value that contains one of the new delimiters', () => {
    const profile = parsePartnerProfile({ partnerId: 'V', ours: { id: 'US' }, theirs: { id: 'THEM' }, delimiters: { element: '-' } });
    expect(() => restampInterchange(parseX12(po()), profile, numbers)).toThrow(expect.objectContaining({ code: 'x12.build.delimiter', location: 'BEG03' }));
  });
});
