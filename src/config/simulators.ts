import { z } from 'zod';

/**
 * The `simulators:` section of loom.config.yaml: which simulated peers Loom starts in-process (on
 * free ports) before its channels, and the seeded day they play. Their addresses reach the rest of
 * the config as environment defaults (`${env:ERP_URL}` ...): a value already set in the environment
 * wins, so the same config runs against real systems with the section removed or `enabled: false`.
 */
export const SimulatorsConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** PRNG seed of the day: same seed, same patients, devices, events and expected totals. */
  seed: z.number().int().default(42),
  /** Simulated seconds per real second (1800 plays a 14-hour day in about 28 s). */
  speed: z.number().positive().default(1800),
  /** Cases (surgeries, cath-lab procedures) in the day; default drawn from the seed. */
  cases: z.number().int().positive().optional(),
  /** Share of steps that get bad data beside them (malformed HL7, unknown GTIN, off-contract price, duplicates, late events). */
  badDataRate: z.number().min(0).max(1).default(0.05),
  /** ISO date of the simulated day. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  /** Play the day once Loom is up; false starts the peers only (drive them with `loom simulate`). */
  play: z.boolean().default(true),
  inventory: z.strictObject({
    /** amqp: RabbitMQ only; webhook: HTTP only; both: each event both ways (Loom dedupes); auto: both when the broker answers, else webhook. */
    transport: z.enum(['auto', 'amqp', 'webhook', 'both']).default('auto'),
    amqpUrl: z.string().default('amqp://127.0.0.1:5672'),
    exchange: z.string().default('loom.estate.inventory'),
  }).prefault({}),
  /** Folder for simulator logs (JSON lines, injected bad data tagged) and vendor file drops; relative to the config folder. */
  workDir: z.string().default('./.loom/simulators'),
});
export type SimulatorsConfig = z.output<typeof SimulatorsConfigSchema>;
