export { RecordingIntake } from './recording-intake.js';
export type { RecordingIntakeOptions, RecordingDecision, RecordedMessage } from './recording-intake.js';
export { excerpt, errorJson, delay, transportError, lowerKeys, bodyOf } from './util.js';
export { waitFor } from './wait-for.js';
