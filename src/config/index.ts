/**
 * Configuration: `loom.config.yaml` loading with line-accurate errors, secret references,
 * flag > env > config > default precedence, the zod schemas and their JSON Schema.
 */
export { type LoadConfigOptions, type LoadedConfig, type ParseConfigOptions, DEFAULT_CONFIG_FILE, configIssues, loadConfig, parseConfigText } from './load.js';
export { type ConfigOverrides, DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT } from './runtime.js';
export { type ConfigDiff, diffConfigs } from './diff.js';
export { type ConnectorKindRegistry, type Endpoint } from './endpoint.js';
export { isSecretKey } from './secrets.js';
export { DURATION_PATTERN, SIZE_PATTERN, parseDuration, parseSize } from './units.js';
export { formatPath } from './locate.js';
export {
  BreakerSchema,
  CRITICALITIES,
  ConfigFileSchema,
  DedupSchema,
  DefaultRetention,
  FORMATS,
  LOG_LEVELS,
  RetentionSchema,
  RetrySchema,
  ServerSchema,
  StepRefSchema,
  StoreSchema,
  SystemSchema,
  buildConfigSchema,
  channelSchema,
  configJsonSchema,
  destinationSchema,
  type ChannelConfig,
  type DestinationConfig,
  type LoomConfig,
  type ParsedConfig,
  type StepRef,
} from './schema.js';
