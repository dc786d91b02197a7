/**
 * The contract registry: each channel's message contract (JSON Schema, HL7 v2 profile, X12 set)
 * with versions and an owner; a pure classifier (compatible or breaking); owner approval of
 * breaking versions; validation of messages against the version a channel pins.
 *
 * @example classifyChange(shapeOf('json-schema', v1), shapeOf('json-schema', v2)).compatibility
 */
export { classifyChange } from './classify.js';
export { shapeOf, Hl7ContractSchema, X12ContractSchema } from './shape.js';
export { contractCheck, type ContractCheck } from './validate.js';
export { ContractRegistry, type RegisterInput } from './registry.js';
export { contractStep } from './step.js';
export { openContractStore, openSqliteContractStore, openPostgresContractStore } from './stores.js';
export type * from './types.js';
