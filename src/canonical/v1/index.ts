// Canonical model v1: zod schemas are the source of truth; JSON Schema is generated from them.
export * from './common.js';
export * from './master-data.js';
export * from './clinical.js';
export * from './procurement.js';
export * from './inventory.js';
export * from './finance.js';
export * from './events.js';
export * from './phi.js';
export * from './json-schema.js';
