import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyChange } from './classify.js';
import { shapeOf } from './shape.js';

const json = (schema: Record<string, unknown>) => shapeOf('json-schema', schema);
const ORDER = {
  type: 'object',
  required: ['poNumber', 'lines'],
  properties: {
    poNumber: { type: 'string', maxLength: 22 },
    vendor: { type: 'string' },
    priority: { enum: ['routine', 'stat'] },
    total: { type: 'number' },
    lines: { type: 'array', minItems: 1, items: { type: 'object', required: ['gtin'], properties: { gtin: { type: 'string' }, qty: { type: 'integer' } } } },
  },
};
const edit = (fn: (o: typeof ORDER & Record<string, unknown>) => void) => {
  const copy = structuredClone(ORDER) as typeof ORDER & Record<string, unknown>;
  fn(copy);
  return copy;
};
const classify = (next: Record<string, unknown>) => classifyChange(json(ORDER), json(next));
const kinds = (next: Record<string, unknown>) => classify(next).changes.map((c) => [c.path, c.kind, c.breaking]);

describe('contract change classification (JSON Schema)', () => {
  it('the same schema is compatible with no changes', () => {
    expect(classify(structuredClone(ORDER))).toEqual({ compatibility: 'compatible', changes: [] });
  });

  it('a removed field is breaking', () => {
    expect(kinds(edit((o) => delete (o.properties as Record<string, unknown>).vendor))).toEqual([['vendor', 'field.removed', true]]);
    expect(classify(edit((o) => delete (o.properties.lines.items.properties as Record<string, unknown>).qty)).compatibility).toBe('breaking');
    expect(kinds(edit((o) => delete (o.properties.lines.items.properties as Record<string, unknown>).qty))).toEqual([['lines[].qty', 'field.removed', true]]);
  });

  it('a narrowed type is breaking, a widened one compatible, a different one breaking', () => {
    expect(kinds(edit((o) => (o.properties.total = { type: 'integer' })))).toEqual([['total', 'type.narrowed', true]]);
    expect(kinds(edit((o) => (o.properties.lines.items.properties.qty = { type: 'number' })))).toEqual([['lines[].qty', 'type.widened', false]]);
    expect(kinds(edit((o) => ((o.properties as Record<string, unknown>).vendor = { type: ['string', 'null'] })))).toEqual([['vendor', 'type.widened', false]]);
    expect(kinds(edit((o) => ((o.properties as Record<string, unknown>).vendor = { type: 'integer' })))).toEqual([['vendor', 'type.changed', true]]);
    expect(kinds(edit((o) => (o.properties.poNumber = { type: 'string', maxLength: 10 })))).toEqual([['poNumber', 'length.narrowed', true]]);
    expect(kinds(edit((o) => (o.properties.priority = { enum: ['routine'] })))).toEqual([['priority', 'enum.narrowed', true]]);
    expect(kinds(edit((o) => (o.properties.priority = { enum: ['routine', 'stat', 'asap'] })))).toEqual([['priority', 'enum.widened', false]]);
  });

  it('a new required field is breaking, a new optional one compatible', () => {
    expect(kinds(edit((o) => {
      (o.properties as Record<string, unknown>).costCenter = { type: 'string' };
      o.required.push('costCenter');
    }))).toEqual([['costCenter', 'field.required-added', true]]);
    expect(classify(edit((o) => ((o.properties as Record<string, unknown>).costCenter = { type: 'string' })))).toEqual({
      compatibility: 'compatible', changes: [{ path: 'costCenter', kind: 'field.added', breaking: false, message: 'costCenter is new and optional' }],
    });
    expect(kinds(edit((o) => o.required.push('vendor')))).toEqual([['vendor', 'field.now-required', true]]);
    expect(kinds(edit((o) => (o.required = ['lines'])))).toEqual([['poNumber', 'field.now-optional', false]]);
  });

  it('changed cardinality is breaking', () => {
    expect(kinds(edit((o) => ((o.properties.lines as Record<string, unknown>).maxItems = 50)))).toEqual([['lines', 'cardinality.changed', true]]);
    expect(kinds(edit((o) => (o.properties.lines.minItems = 2)))).toEqual([['lines', 'cardinality.changed', true]]);
  });

  it('adding optional properties never breaks (property)', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{3,8}$/), { maxLength: 5 }), (names) => {
      const next = edit((o) => {
        for (const n of names) if (!(n in o.properties)) (o.properties as Record<string, unknown>)[n] = { type: 'string' };
      });
      expect(classify(next).compatibility).toBe('compatible');
    }));
  });
});

describe('contract change classification (HL7 v2 and X12 profiles)', () => {
  const ADT = { message: 'ADT^A01', segments: { PID: { usage: 'R', max: 1, fields: { '3': { usage: 'R', max: '*', datatype: 'CX' }, '5': { usage: 'R' }, '8': { usage: 'O', length: 1 } } }, PV1: { usage: 'R', fields: { '19': { usage: 'O' } } } } };
  const hl7 = (doc: unknown) => shapeOf('hl7v2', doc);

  it('names segments and fields in HL7 notation', () => {
    const next = structuredClone(ADT) as { segments: Record<string, { usage: string; max?: number | string; fields: Record<string, unknown> }> };
    delete next.segments.PID?.fields['8'];
    next.segments.PID!.fields['3'] = { usage: 'R', max: 1, datatype: 'CX' };
    next.segments.PV1!.fields['2'] = { usage: 'R' };
    next.segments.PV1!.usage = 'O';
    const result = classifyChange(hl7(ADT), hl7(next));
    expect(result.compatibility).toBe('breaking');
    expect(result.changes.map((c) => [c.path, c.kind])).toEqual([
      ['PID-3', 'cardinality.changed'],
      ['PID-8', 'field.removed'],
      ['PV1', 'field.now-optional'],
      ['PV1-2', 'field.required-added'],
    ]);
  });

  it('classifies X12 element and segment changes', () => {
    const V1 = { set: '850', segments: { BEG: { req: 'M', elements: { '03': { req: 'M', type: 'AN', max: 22 } } }, PO1: { req: 'M', max: '*' } } };
    const V2 = { set: '850', segments: { BEG: { req: 'M', elements: { '03': { req: 'M', type: 'AN', max: 30 }, '05': { req: 'O', type: 'DT' } } }, PO1: { req: 'M', max: '*' }, REF: { req: 'O', max: 12 } } };
    expect(classifyChange(shapeOf('x12', V1), shapeOf('x12', V2))).toMatchObject({ compatibility: 'compatible', changes: [{ path: 'BEG03', kind: 'length.widened' }, { path: 'BEG05', kind: 'field.added' }, { path: 'REF', kind: 'field.added' }] });
    expect(classifyChange(shapeOf('x12', V2), shapeOf('x12', V1)).compatibility).toBe('breaking');
  });

  it('rejects a profile document Loom cannot read, naming where', () => {
    expect(() => shapeOf('hl7v2', { segments: { pid: {} } })).toThrow(expect.objectContaining({ code: 'contract.schema.invalid' }));
    expect(() => shapeOf('x12', { set: '85' , segments: {} })).toThrow(expect.objectContaining({ code: 'contract.schema.invalid', location: 'set' }));
  });
});
