// Public face of the canonical model. `v1` is the current version; a v2 would live beside it and
// this file would keep exporting v1 names until consumers migrate.
export * from './v1/index.js';
export * as v1 from './v1/index.js';
export const CANONICAL_VERSION = 'v1';
