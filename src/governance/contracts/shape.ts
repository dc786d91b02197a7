import { z } from 'zod';
import { LoomError } from '../../kernel/errors.js';
import type { ContractKind, FieldSpec } from './types.js';

/**
 * Contract documents of each kind and their normalization to the FieldSpec tree the classifier
 * compares. JSON contracts are JSON Schema (the subset Loom reads: type, properties, required,
 * items, minItems, maxItems, enum, maxLength); HL7 v2 and X12 contracts are Loom's own profile
 * documents (below), close to the standards' usage/repeat tables.
 */

const Repeat = z.union([z.number().int().min(1), z.literal('*')]);
const Hl7FieldRule = z.strictObject({ usage: z.enum(['R', 'O']).default('O'), max: Repeat.default(1), datatype: z.string().optional(), length: z.number().int().min(1).optional() });
/** `{ message: 'ADT^A01', segments: { PID: { usage: 'R', max: 1, fields: { '3': { usage: 'R', max: '*', datatype: 'CX' } } } } }`. */
export const Hl7ContractSchema = z.strictObject({
  message: z.string().min(1).optional(),
  segments: z.record(z.string().regex(/^[A-Z][A-Z0-9]{2}$/), z.strictObject({ usage: z.enum(['R', 'O']).default('O'), max: Repeat.default(1), fields: z.record(z.string().regex(/^\d{1,3}$/), Hl7FieldRule).default({}) })),
});
const X12ElementRule = z.strictObject({ req: z.enum(['M', 'O']).default('O'), type: z.string().optional(), max: z.number().int().min(1).optional() });
/** `{ set: '850', segments: { BEG: { req: 'M', max: 1, elements: { '03': { req: 'M', type: 'AN', max: 22 } } } } }`. */
export const X12ContractSchema = z.strictObject({
  set: z.string().regex(/^\d{3}$/),
  segments: z.record(z.string().regex(/^[A-Z][A-Z0-9]{1,2}$/), z.strictObject({ req: z.enum(['M', 'O']).default('O'), max: Repeat.default(1), elements: z.record(z.string().regex(/^\d{2}$/), X12ElementRule).default({}) })),
});
export type Hl7Contract = z.output<typeof Hl7ContractSchema>;
export type X12Contract = z.output<typeof X12ContractSchema>;

// `required` carries usage (R/M); min/max are repetitions only, so a usage change is not also a cardinality change.
const field = (over: Partial<FieldSpec>): FieldSpec => ({ types: [], required: false, min: 0, children: {}, ...over });
const maxOf = (max: number | '*'): number | undefined => (max === '*' ? undefined : max);

/**
 * Check a contract document of `kind` and normalize it. Throws LoomError `contract.schema.invalid`
 * naming the place when the document is not one Loom reads.
 *
 * @example shapeOf('json-schema', { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }).children.id?.required // true
 */
export function shapeOf(kind: ContractKind, schema: unknown): FieldSpec {
  if (kind === 'json-schema') return jsonShape(schema, '$');
  const parsed = (kind === 'hl7v2' ? Hl7ContractSchema : X12ContractSchema).safeParse(schema);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoomError('contract.schema.invalid', `the ${kind} contract is not valid: ${issue?.message ?? 'invalid'}`, {
      location: issue?.path.join('.') || undefined,
      hint: kind === 'hl7v2' ? "segments: { PID: { usage: R, max: 1, fields: { '3': { usage: R, max: '*' } } } }" : "set: '850', segments: { BEG: { req: M, max: 1, elements: { '03': { req: M, max: 22 } } } }",
    });
  }
  if (kind === 'hl7v2') {
    const doc = parsed.data as Hl7Contract;
    return field({ children: Object.fromEntries(Object.entries(doc.segments).map(([seg, rule]) => [seg, field({
      types: ['segment'], required: rule.usage === 'R', min: 0, ...(maxOf(rule.max) !== undefined ? { max: maxOf(rule.max) } : {}),
      children: Object.fromEntries(Object.entries(rule.fields).map(([n, f]) => [`${seg}-${Number(n)}`, field({
        types: f.datatype ? [f.datatype] : [], required: f.usage === 'R', min: 0, ...(maxOf(f.max) !== undefined ? { max: maxOf(f.max) } : {}), ...(f.length ? { maxLength: f.length } : {}),
      })])),
    })])) });
  }
  const doc = parsed.data as X12Contract;
  return field({ children: Object.fromEntries(Object.entries(doc.segments).map(([seg, rule]) => [seg, field({
    types: ['segment'], required: rule.req === 'M', min: 0, ...(maxOf(rule.max) !== undefined ? { max: maxOf(rule.max) } : {}),
    children: Object.fromEntries(Object.entries(rule.elements).map(([n, e]) => [`${seg}${n}`, field({ types: e.type ? [e.type] : [], required: e.req === 'M', min: 0, max: 1, ...(e.max ? { maxLength: e.max } : {}) })])),
  })])) });
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function jsonShape(schema: unknown, path: string): FieldSpec {
  if (schema === true || schema === undefined) return field({});
  if (!isObject(schema)) throw new LoomError('contract.schema.invalid', `${path} is not a JSON Schema object`, { location: path, hint: 'e.g. { "type": "string" }' });
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type.filter((t): t is string => typeof t === 'string') : [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const properties = isObject(schema.properties) ? schema.properties : {};
  const children = Object.fromEntries(Object.entries(properties).map(([key, sub]) => {
    const child = jsonShape(sub, `${path}.${key}`);
    return [key, { ...child, required: required.has(key) }];
  }));
  for (const key of required) if (!(key in children)) children[key] = field({ required: true });
  const isArray = types.includes('array');
  return field({
    types, children,
    ...(isArray ? { min: typeof schema.minItems === 'number' ? schema.minItems : 0, ...(typeof schema.maxItems === 'number' ? { max: schema.maxItems } : {}) } : {}),
    ...(isArray ? { items: jsonShape(schema.items, `${path}[]`) } : {}),
    ...(Array.isArray(schema.enum) ? { enum: schema.enum.map((v) => JSON.stringify(v)) } : {}),
    ...(typeof schema.maxLength === 'number' ? { maxLength: schema.maxLength } : {}),
  });
}
