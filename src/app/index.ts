export { startLoom, type RunningLoom, type StartLoomOptions } from './loom.js';
export { buildChannel, contentTypeOfFormat, type BuiltChannel, type ConnectorRegistry } from './build-channels.js';
export { registerStandardSteps, messageTypeOf } from './standard-steps.js';
export { codecBindings } from './codec-bindings.js';
