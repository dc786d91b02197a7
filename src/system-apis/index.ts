export { SystemApiSchema, type SystemApiConfig } from './schema.js';
export { SystemApiGateway, type SystemApiAnswer, type SystemApiDescription, type SystemApiUsage } from './gateway.js';
export { systemApiMetrics } from './metrics.js';
