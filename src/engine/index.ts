/**
 * The Loom engine: Channel → journal → receipt → steps → outbox → delivery → DeadLetterChannel.
 *
 * @example
 * const engine = new Engine({ store: await openSqliteStore({ dataDir: '.loom' }), headerReaders: { [ContentTypes.hl7v2]: readHl7Header } });
 * engine.applyChannels(definitions);
 * await engine.start();
 */
export { Engine, defaultRetention, type Actor, type ChannelStatus } from './engine.js';
export { EngineCore, type EngineOptions } from './core.js';
export { EngineEvents, type EngineEventMap, type DeliveryInfo } from './events.js';
export { StepRegistry, builtinSteps, compileCondition, readPath, type Condition } from './steps.js';
export { backoffDelay, defaultBreaker, defaultRetry } from './delivery.js';
export { Headers } from './pipeline.js';
export { prepareEntry, Slots, DEFAULT_DEDUP_WINDOW_MS, DEFAULT_MAX_PAYLOAD_BYTES } from './intake.js';
export { loadUserSteps, type UserStepLoader } from './user-steps.js';
export type * from './types.js';
