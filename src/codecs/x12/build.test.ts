import { describe, expect, it } from 'vitest';
import { LoomError } from '../../kernel/errors.js';
import {
  build810, build820, build850, build856, parseX12, readX12Header, serializeX12, validateX12, x12Codec, type X12EnvelopeOptions, type X12Interchange,
} from './index.js';

const env: X12EnvelopeOptions = { senderId: 'HOSPITAL', receiverId: 'VENDOR', controlNumber: 42, timestamp: '2026-01-31T14:05:00Z' };

function clean(ic: X12Interchange): X12Interchange {
  const text = serializeX12(ic);
  const back = parseX12(text);
  expect(serializeX12(back)).toBe(text);
  expect(validateX12(back)).toEqual({ errors: [], warnings: [] });
  return back;
}

describe('typed builders', () => {
  it('build850 writes BEG03, lines and CTT with correct counts', () => {
    const ic = clean(build850({
      poNumber: 'PO-77', date: '2026-01-31', currency: 'USD', shipTo: { name: 'MAIN', id: 'H1', address: '1 WAY', city: 'TOWN', state: 'OH', postalCode: '44139' },
      lines: [{ quantity: 3, uom: 'EA', unitPrice: 1.25, gtin: '00312345678906', vendorPartId: 'V1', description: 'GAUZE' }, { quantity: 1, uom: 'BX', unitPrice: 10, buyerPartId: 'B2' }],
    }, env));
    const set = ic.groups[0].sets[0];
    expect(set.get('BEG03')).toBe('PO-77');
    expect(set.get('PO1[1]07')).toBe('00312345678906');
    expect(set.get('PO1[2]07')).toBe('B2');
    expect(set.get('CTT01')).toBe('2');
    expect(set.get('SE01')).toBe(String(set.segments.length));
    expect(ic.controlNumber).toBe('000000042');
  });

  it('build856 nests S/O/P/I levels', () => {
    const ic = clean(build856({
      shipmentId: 'SH-1', date: '2026-02-01', carrierScac: 'UPSN', billOfLading: 'BOL1',
      orders: [{ poNumber: 'PO-77', packs: [{ sscc: '00012345600000000017', items: [{ gtin: '00312345678906', quantity: 3, uom: 'EA', lot: 'L1' }, { vendorPartId: 'V2', quantity: 1, uom: 'BX' }] }, { items: [{ gtin: '1', quantity: 2, uom: 'EA', serial: 'S9' }] }] }],
    }, env));
    const set = ic.groups[0].sets[0];
    const levels = set.segments.filter((s) => s.id === 'HL').map((s) => s.elements.join('/'));
    expect(levels).toEqual(['1//S', '2/1/O', '3/2/P', '4/3/I', '5/3/I', '6/2/P', '7/6/I']);
    expect(set.get('CTT01')).toBe('7');
  });

  it('build810 writes BIG02 and TDS in cents', () => {
    const set = clean(build810({ invoiceNumber: 'INV-9', date: '2026-02-02', poNumber: 'PO-77', poDate: '2026-01-31', lines: [{ quantity: 3, uom: 'EA', unitPrice: 1.25 }, { quantity: 1, uom: 'BX', unitPrice: 10 }] }, env)).groups[0].sets[0];
    expect(set.get('BIG02')).toBe('INV-9');
    expect(set.get('TDS01')).toBe('1375');
  });

  it('build820 writes BPR, TRN and RMR in 005010', () => {
    const ic = clean(build820({ amount: 13.75, date: '2026-03-01', traceNumber: 'TRACE1', payer: { name: 'HOSPITAL' }, payee: { name: 'VENDOR', id: 'V' }, invoices: [{ invoiceNumber: 'INV-9', paid: 13.75, invoiced: 13.75 }] }, { ...env, version: '005010' }));
    const set = ic.groups[0].sets[0];
    expect(ic.delimiters.repetition).toBe('^');
    expect([set.get('BPR02'), set.get('BPR16'), set.get('TRN02'), set.get('RMR02'), set.get('RMR04')]).toEqual(['13.75', '20260301', 'TRACE1', 'INV-9', '13.75']);
  });

  it('refuses values that contain a delimiter', () => {
    expect(() => build850({ poNumber: 'PO*1', date: '2026-01-31', lines: [{ quantity: 1, uom: 'EA', unitPrice: 1 }] }, env)).toThrow(LoomError);
  });
});

describe('readX12Header', () => {
  it('reads ids, control numbers, version and set types', () => {
    const text = serializeX12(build850({ poNumber: 'PO-1', date: '2026-01-31', lines: [{ quantity: 1, uom: 'EA', unitPrice: 1 }] }, { ...env, lineBreaks: true, versionCode: '004010VICS' }));
    expect(readX12Header(new TextEncoder().encode(text))).toEqual({
      senderId: 'HOSPITAL', receiverId: 'VENDOR', controlNumber: '000000042', version: '004010VICS', groups: [{ functionalId: 'PO', controlNumber: '42' }], transactionTypes: ['850'],
    });
  });
  it('throws LoomError when the ISA is unreadable', () => {
    expect(() => readX12Header('MSH|^~\\&|')).toThrow(LoomError);
  });
});

describe('x12Codec', () => {
  const text = serializeX12(build850({ poNumber: 'PO-1', date: '2026-01-31', lines: [{ quantity: 4, uom: 'EA', unitPrice: 1 }] }, env));
  it('detects, summarizes, gets and converts', () => {
    expect(x12Codec.detect(text)).toBe(true);
    expect(x12Codec.detect('MSH|^~\\&|')).toBe(false);
    const ic = x12Codec.parse(text);
    expect(x12Codec.summarize(ic)).toEqual({ format: 'x12', types: ['850'], controlIds: ['000000042', '42', '0001'], counts: { groups: 1, transactionSets: 1, segments: 9 }, warnings: [] });
    expect(x12Codec.get(ic, 'PO102', { transaction: 1 })).toBe('4');
    expect(x12Codec.get(ic, 'PO102', { transaction: 2 })).toBeUndefined();
    const json = x12Codec.toJson(ic) as { interchanges: { groups: { sets: { type: string; segments: { id: string }[] }[] }[] }[] };
    expect(json.interchanges[0].groups[0].sets[0].type).toBe('850');
    expect(json.interchanges[0].groups[0].sets[0].segments[1].id).toBe('BEG');
  });
});
