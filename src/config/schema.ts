import { z } from 'zod';
import { type ConnectorKindRegistry, type Endpoint, inboundSchema, validateOptions } from './endpoint.js';
import { Duration, KebabName, Port, Size } from './patterns.js';
import { ContractPinSchema, GovernanceSchema, StoreEncryptionSchema, type StoreEncryption } from '../governance/config.js';
import { ShadowSchema } from '../modernization/shadow/schema.js';
import { SimulatorsConfigSchema } from './simulators.js';
import { SystemApiSchema } from '../system-apis/schema.js';

/**
 * The zod schemas of `loom.config.yaml`: the single source of truth for validation, the
 * `LoomConfig` type and the generated JSON Schema. Schemas describe what a user writes;
 * outputs are normalized (durations in ms, sizes in bytes, endpoints as `{kind, options}`).
 */

export const FORMATS = ['hl7v2', 'x12', 'fhir', 'json', 'csv', 'text'] as const;
export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** A step reference: a built-in or a user TypeScript step from `steps.dir`. */
export const StepRefSchema = z.strictObject({
  use: z.string().min(1),
  with: z.record(z.string(), z.unknown()).optional(),
});

export const RetentionSchema = z.strictObject({
  processed: Duration.optional(),
  failed: Duration.optional(),
  deadLettered: Duration.optional(),
});

export const RetrySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).default(10),
  backoff: z
    .strictObject({ base: Duration.default(1000), max: Duration.default(300_000) })
    .prefault({}),
});

export const BreakerSchema = z.strictObject({
  /** Consecutive failures that open the breaker. */
  failures: z.number().int().min(1).default(5),
  /** How long it stays open before a trial delivery. */
  cooldown: Duration.default(30_000),
});

export const DedupSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** EHRs reuse MSH-10 after restarts, so a control id is unique only within a window. */
  window: Duration.default(86_400_000),
  by: z.enum(['control-id', 'content-hash']).default('control-id'),
});

const DESTINATION_KEYS = ['name', 'kind', 'retry', 'breaker', 'when'] as const;

/** `{name, kind, ...connector options, retry, breaker, when}` → `{name, kind, options, ...}`. */
export function destinationSchema(kinds: ConnectorKindRegistry | undefined) {
  return z
    .object({
      name: KebabName,
      kind: z.string().min(1),
      retry: RetrySchema.prefault({}),
      breaker: BreakerSchema.prefault({}),
      /** Content-based route: header values that must match (`messageType: [ADT^A01, ADT^A03]`). */
      when: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    })
    .catchall(z.unknown())
    .transform((value, ctx) => {
      const { name, kind, retry, breaker, when, ...rest } = value;
      const options = validateOptions(kind, rest, kinds, ctx, DESTINATION_KEYS);
      if (options === undefined) return z.NEVER as never;
      return { name, kind, options, retry, breaker, when };
    });
}

export function channelSchema(kinds: ConnectorKindRegistry | undefined) {
  return z
    .strictObject({
      name: KebabName,
      description: z.string().optional(),
      /** The system (from `systems`) that sends on this channel. */
      source: z.string().optional(),
      inbound: inboundSchema(kinds),
      contentType: z.enum(FORMATS),
      ackMode: z.enum(['original', 'enhanced']).default('original'),
      /** Default: true in original mode (AE/AR on a validation error), false in enhanced mode. */
      validateBeforeAck: z.boolean().optional(),
      /** FIFO per ordering key; a message that exhausts retries parks its key. */
      ordered: z.boolean().default(false),
      /** Step that extracts the ordering key (patient, encounter, item, PO). */
      orderingKey: z.union([z.string().min(1), StepRefSchema]).optional(),
      dedup: DedupSchema.prefault({}),
      maxPayloadBytes: Size.default(10 * 1024 * 1024),
      steps: z.array(StepRefSchema).default([]),
      destinations: z.array(destinationSchema(kinds)).default([]),
      retention: RetentionSchema.optional(),
      /** The registered message contract version this channel validates against (src/governance/contracts). */
      contract: ContractPinSchema.optional(),
      /** Run beside the legacy interface: destinations are recorded and compared, never called. */
      shadow: ShadowSchema.optional(),
    })
    .transform((channel) => ({
      ...channel,
      validateBeforeAck: channel.validateBeforeAck ?? channel.ackMode === 'original',
      orderingKey: typeof channel.orderingKey === 'string' ? { use: channel.orderingKey } : channel.orderingKey,
    }));
}

export const SystemSchema = z.strictObject({
  name: KebabName,
  description: z.string().optional(),
  owner: z.string().min(1),
  criticality: z.enum(CRITICALITIES).default('medium'),
  contact: z.string().optional(),
});

export const ServerSchema = z.strictObject({ port: Port.optional(), host: z.string().min(1).optional() });

export const StoreSchema = z.strictObject({
  kind: z.enum(['sqlite', 'postgres']).default('sqlite'),
  /** sqlite: folder of the database, relative to the config file's folder. */
  dataDir: z.string().min(1).optional(),
  /** postgres: connection URL; put the password in a `${env:...}` reference. */
  url: z.string().min(1).optional(),
  /** postgres: schema name (tests use one per run). */
  schema: z.string().optional(),
  /** Payloads encrypted at rest (docs/governance.md). */
  encryption: StoreEncryptionSchema.optional(),
});

/**
 * `observability.tracing.otlp`: export spans over OTLP/HTTP (JSON). Tracing export is off when
 * absent. Credentials in `headers` go through `${env:...}`/`${file:...}` like every secret
 * (`authorization`, `*-api-key`, `*-token` must be references).
 */
export const OtlpTracingSchema = z.strictObject({
  /** Collector URL: a base (`http://collector:4318`, `/v1/traces` is appended) or the full traces URL. */
  endpoint: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string().min(1), z.string()).default({}),
  serviceName: z.string().min(1).default('loom'),
  /** Per export request. */
  timeout: Duration.default(10_000),
});

export const ObservabilitySchema = z.strictObject({
  tracing: z.strictObject({ otlp: OtlpTracingSchema.optional() }).optional(),
});

export const DefaultRetention = { processed: 30 * 86_400_000, failed: 90 * 86_400_000, deadLettered: 180 * 86_400_000 };

/** Kept as validated passthrough lists until their modules define them. */
const Named = z.looseObject({ name: z.string().min(1) });

/** Build the file schema; with `kinds`, connector options are validated by their kind's schema. */
export function buildConfigSchema(kinds?: ConnectorKindRegistry) {
  return z.strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    server: ServerSchema.prefault({}),
    store: StoreSchema.prefault({}),
    systems: z.array(SystemSchema).default([]),
    channels: z.array(channelSchema(kinds)).default([]),
    retention: z
      .strictObject({
        processed: Duration.default(DefaultRetention.processed),
        failed: Duration.default(DefaultRetention.failed),
        deadLettered: Duration.default(DefaultRetention.deadLettered),
      })
      .prefault({}),
    steps: z.strictObject({ dir: z.string().min(1) }).optional(),
    alerts: z.array(Named).default([]),
    /** SLA definitions, validated by src/observability/slas when Loom starts. */
    slas: z.array(Named).default([]),
    logging: z
      .strictObject({ level: z.enum(LOG_LEVELS).default('info'), redact: z.array(z.string()).default([]) })
      .prefault({}),
    /** Trace export (OTLP); off when absent. */
    observability: ObservabilitySchema.optional(),
    processes: z.array(Named).optional(),
    schedules: z.array(Named).optional(),
    masterData: z.array(Named).optional(),
    /** Catalog facts the rest of the config lacks (src/governance/config.ts). */
    governance: GovernanceSchema.optional(),
    /** Backend read APIs Loom serves as its own routes, /api/v1/system/{name} (src/system-apis). */
    systemApis: z.array(SystemApiSchema).default([]).superRefine((apis, ctx) => {
      const seen = new Set<string>();
      apis.forEach((api, i) => {
        if (seen.has(api.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `system API "${api.name}" is declared twice` });
        seen.add(api.name);
      });
    }),
    /** The in-process simulated estate (src/config/simulators.ts); off when absent. */
    simulators: SimulatorsConfigSchema.optional(),
  });
}

/** The schema without a connector registry (options unchecked): for types and JSON Schema. */
export const ConfigFileSchema = buildConfigSchema();

/** What `buildConfigSchema` produces, before defaults that depend on env, flags and paths. */
export type ParsedConfig = z.output<typeof ConfigFileSchema>;
export type ChannelConfig = Omit<ParsedConfig['channels'][number], 'retention'> & {
  retention: { processed: number; failed: number; deadLettered: number };
};
export type DestinationConfig = ChannelConfig['destinations'][number];
export type StepRef = z.output<typeof StepRefSchema>;
export type { Endpoint };

/** The loaded configuration: parsed, with precedence applied and paths absolute. */
export type LoomConfig = Omit<ParsedConfig, 'server' | 'store' | 'channels'> & {
  server: { port: number; host: string };
  store: ({ kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string; schema?: string; dataDir: string }) & { encryption?: StoreEncryption };
  channels: ChannelConfig[];
};

/**
 * JSON Schema of `loom.config.yaml` (what users write), generated from the zod schema.
 *
 * @example writeFileSync('loom.schema.json', JSON.stringify(configJsonSchema(), null, 2))
 */
export function configJsonSchema(kinds?: ConnectorKindRegistry): Record<string, unknown> {
  return z.toJSONSchema(buildConfigSchema(kinds), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
