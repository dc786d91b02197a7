export { compareOutputs, compareHl7, compareJson, compareText, type OutputDifference } from './compare.js';
export { ShadowSchema, type ShadowConfig } from './schema.js';
export { ShadowStore, openShadowStore, type ShadowRow, type ShadowStatus } from './store.js';
export { ShadowRecorder, ShadowOutbound, outputKey, type ShadowFormat, type ShadowedChannel } from './recorder.js';
