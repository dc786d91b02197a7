import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contractCheck } from './validate.js';
import type { ContractKind, ContractVersion } from './types.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');
const enc = (s: string) => new TextEncoder().encode(s);
const version = (kind: ContractKind, schema: Record<string, unknown>): ContractVersion => ({ name: 'c', version: 1, kind, schema, status: 'active', createdBy: 'ana', createdAt: '2026-01-01T00:00:00Z' });
const where = (errors: Array<{ code: string; location?: string }>) => errors.map((e) => [e.code, e.location]);

describe('contract checks', () => {
  it('JSON Schema: names each violation by JSON path', () => {
    const check = contractCheck(version('json-schema', {
      type: 'object', required: ['poNumber', 'lines'],
      properties: { poNumber: { type: 'string', maxLength: 8 }, lines: { type: 'array', minItems: 1, items: { type: 'object', required: ['gtin'], properties: { gtin: { type: 'string', pattern: '^\\d{14}$' }, qty: { type: 'integer' } } } } },
    }));
    expect(check(enc(JSON.stringify({ poNumber: 'PO-1', lines: [{ gtin: '00312345678906', qty: 2 }] })))).toEqual([]);
    expect(where(check(enc(JSON.stringify({ poNumber: 'PO-1001-LONG', lines: [{ gtin: 'abc', qty: 1.5 }] }))))).toEqual([
      ['contract.violation', '$.poNumber'], ['contract.violation', '$.lines[0].gtin'], ['contract.violation', '$.lines[0].qty'],
    ]);
    expect(where(check(enc('{"poNumber":')))).toEqual([['contract.violation', '$']]);
  });

  it('HL7 v2 profile: message type, required segments and fields, repeats, lengths', () => {
    const adt = readFileSync(path.join(fixtures, 'hl7v2/adt-a03-1k.hl7'));
    const ok = contractCheck(version('hl7v2', { message: 'ADT^A03', segments: { PID: { usage: 'R', fields: { '3': { usage: 'R', max: '*' }, '5': { usage: 'R' } } }, PV1: { usage: 'R' } } }));
    expect(ok(adt)).toEqual([]);
    const strict = contractCheck(version('hl7v2', { message: 'ADT^A01', segments: { PID: { usage: 'R', fields: { '3': { usage: 'R', max: 1 }, '8': { usage: 'O', length: 1 }, '30': { usage: 'R' } } }, ZPI: { usage: 'R' } } }));
    expect(where(strict(adt))).toEqual([
      ['contract.violation', 'MSH-9'], ['contract.violation', 'PID-3'], ['contract.violation', 'PID-30'], ['contract.violation', 'ZPI'],
    ]);
  });

  it('X12 set: mandatory segments and elements, max use, lengths', () => {
    const po = readFileSync(path.join(fixtures, 'x12/po-850-accepted.edi'));
    expect(contractCheck(version('x12', { set: '850', segments: { BEG: { req: 'M', elements: { '03': { req: 'M', max: 22 } } }, PO1: { req: 'M', max: '*' } } }))(po)).toEqual([]);
    const strict = contractCheck(version('x12', { set: '850', segments: { BEG: { req: 'M', elements: { '03': { req: 'M', max: 4 }, '04': { req: 'M' } } }, PO1: { req: 'M', max: 1 }, REF: { req: 'M' } } }));
    expect(where(strict(po))).toEqual([['contract.violation', 'BEG03'], ['contract.violation', 'BEG04'], ['contract.violation', 'PO1'], ['contract.violation', 'REF']]);
    expect(where(contractCheck(version('x12', { set: '810', segments: {} }))(po))).toEqual([['contract.violation', 'ST01']]);
  });
});
