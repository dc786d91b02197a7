import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LoomError } from '../kernel/index.js';

/** The file beside loom.config.yaml that turns on the in-process simulated estate. */
export const SIMULATORS_FILE = 'loom.simulators.yaml';

/**
 * `loom.simulators.yaml`: which simulated peers Loom starts in-process (on free ports) before its
 * channels, and the seeded day they play. Their addresses reach loom.config.yaml as environment
 * defaults (`${env:ERP_URL}` ...): a value already set in the environment wins, so the same
 * config runs against real systems with the simulators off.
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

/**
 * Read `loom.simulators.yaml` beside the config file, if any. `LOOM_SIMULATORS=off` disables it.
 *
 * @example
 * const sims = readSimulatorsConfig('/srv/estate/loom.config.yaml', process.env); // undefined when absent
 */
export function readSimulatorsConfig(configFile: string | undefined, env: Record<string, string | undefined>): SimulatorsConfig | undefined {
  if (!configFile || /^(0|off|false|no)$/i.test(env.LOOM_SIMULATORS ?? '')) return undefined;
  const file = join(dirname(configFile), SIMULATORS_FILE);
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (cause) {
    throw new LoomError('config.simulators.invalid', `${file} is not valid YAML`, { location: file, hint: 'fix the YAML syntax', cause });
  }
  const parsed = SimulatorsConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new LoomError('config.simulators.invalid', `${SIMULATORS_FILE}: ${issues.join('; ')}`, {
      location: `${file} ${parsed.error.issues[0]?.path.join('.') ?? ''}`,
      hint: 'keys: enabled, seed, speed, cases, badDataRate, date, play, inventory {transport, amqpUrl, exchange}, workDir (docs/estate.md)',
    });
  }
  return parsed.data.enabled ? parsed.data : undefined;
}
