export { RecordingIntake } from './recording-intake.js';
export type { RecordingIntakeOptions, RecordingDecision, RecordedMessage } from './recording-intake.js';
export { excerpt, errorJson, delay, transportError, lowerKeys, bodyOf } from './util.js';
export { waitFor } from './wait-for.js';
export { FileCursorStore, type CursorStore } from './cursor-store.js';
export { Poller } from './poller.js';
export { signWebhook, WebhookVerifier, type WebhookSignatureOptions } from './hmac.js';
export { OAuth2TokenSource, type OAuth2ClientCredentials } from './oauth2.js';
