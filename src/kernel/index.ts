export * from './errors.js';
export * from './envelope.js';
export * from './ids.js';
export * from './ports.js';
export type * from './connector.js';
export type * from './store.js';
export type * from './audit.js';
export type * from './lease.js';
