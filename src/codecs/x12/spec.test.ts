import { describe, expect, it } from 'vitest';
import { LoomError } from '../../kernel/errors.js';
import { buildX12Interchange, getX12Spec, registerX12Spec, validateX12, x12Rules, type X12SetBody } from './index.js';

const env = { senderId: 'A', receiverId: 'B', controlNumber: 5, timestamp: '2026-01-31T00:00:00Z' };
const codes = (fid: string, set: X12SetBody): string[] => validateX12(buildX12Interchange(fid, [set], env)).errors.map((e) => e.code);

describe('spec tables', () => {
  it('ships tables for 832, 850, 855, 856, 810, 820, 997, 999, 861 and 824', () => {
    for (const t of ['832', '850', '855', '856', '810', '820', '997', '999', '861', '824']) expect(getX12Spec(t)?.type).toBe(t);
  });

  it('861 receiving advice: clean when BRA and RCD are present, error when RCD is missing', () => {
    expect(codes('RC', { type: '861', segments: [['BRA', 'R1', '20260131', '00', '1'], ['RCD', '', '10', 'EA'], ['CTT', '1']] })).toEqual([]);
    expect(codes('RC', { type: '861', segments: [['BRA', 'R1', '20260131', '00', '1'], ['CTT', '1']] })).toEqual(['x12.segment.missing']);
  });

  it('824 application advice: OTI loop with its mandatory TED', () => {
    expect(codes('AG', { type: '824', segments: [['BGN', '00', 'A1', '20260131'], ['OTI', 'TR', 'IV', 'INV-1'], ['TED', '024']] })).toEqual([]);
    expect(codes('AG', { type: '824', segments: [['BGN', '00', 'A1', '20260131'], ['OTI', 'TR', 'IV', 'INV-1']] })).toEqual(['x12.segment.missing']);
  });

  it('855 and 832 require their beginning segments', () => {
    expect(codes('PR', { type: '855', segments: [['PO1', '1', '2', 'EA']] })).toEqual(['x12.segment.missing']);
    expect(codes('SC', { type: '832', segments: [['BCT', 'PC'], ['LIN', '1', 'VC', 'X']] })).toEqual([]);
  });

  it('enforces max use and loop counts', () => {
    expect(codes('PO', { type: '850', segments: [['BEG', '00', 'SA', 'P', '', '20260131'], ['BEG', '00', 'SA', 'P', '', '20260131'], ['PO1', '1', '1', 'EA']] }))
      .toEqual(['x12.segment.too-many']);
  });

  it('registerX12Spec adds a user table (846 inventory inquiry)', () => {
    registerX12Spec({ type: '846', name: 'Inventory Inquiry/Advice', functionalId: 'IB', body: x12Rules('BIA!1:1,2,3,4 (LIN!:2,3 PID (QTY!:1,2))') });
    expect(codes('IB', { type: '846', segments: [['BIA', '00', 'MM', 'R1', '20260131'], ['LIN', '', 'VP', 'V1'], ['QTY', '33', '5']] })).toEqual([]);
    expect(codes('IB', { type: '846', segments: [['BIA', '00', 'MM', 'R1', '20260131'], ['LIN', '', 'VP', 'V1']] })).toEqual(['x12.segment.missing']);
  });

  it('x12Rules rejects malformed tables with LoomError', () => {
    expect(() => x12Rules('BEG (PO1')).toThrow(LoomError);
    expect(() => x12Rules('beg')).toThrow(LoomError);
    expect(() => x12Rules('(REF!) )')).toThrow(LoomError);
  });
});
