// Pure codecs: bytes <-> trees, no I/O. Importable as `loom-fabric/codecs`.
export * from './format.js';
export * from './detect.js';
export * from './registry.js';
export * from './hl7v2/index.js';
export * from './mllp/index.js';
export * from './x12/index.js';
export * from './udi/index.js';
export * from './fhir/index.js';
export * from './csv/index.js';
