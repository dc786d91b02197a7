export { createApiApp, type ApiOptions } from './app.js';
export type { ApiServices, ChannelDescription } from './context.js';
export { ThroughputWindow, type ThroughputBucket } from './throughput.js';
export { problem, statusFor } from './problem.js';
