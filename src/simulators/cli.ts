import { LoomError } from '../kernel/errors.js';
import { ScenarioClock } from './clock.js';
import { startEhrSimulator } from './ehr/simulator.js';
import { startErpSimulator } from './erp/simulator.js';
import { startInventorySimulator } from './inventory/simulator.js';
import { startProcurementSimulator } from './procurement/simulator.js';
import { generateDay } from './scenario/generate.js';
import { runScenarioDay } from './scenario/run.js';
import { startVendorSimulator } from './vendor/simulator.js';

export const SIMULATOR_NAMES = ['ehr', 'erp', 'inventory', 'procurement', 'vendor', 'day'] as const;
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];

/** Options of `loom simulate <name>`; each simulator reads the ones it needs. */
export interface SimulateOptions {
  /** ehr: `mllp://host:port` to send HL7 to (day: optional, a built-in ACK sink otherwise). */
  target?: string;
  seed?: number;
  /** Simulated seconds per real second (default 60); `Infinity` plays as fast as peers answer. */
  speed?: number;
  /** Listening port of an HTTP simulator (default 0 = free port). */
  port?: number;
  host?: string;
  injectRate?: number;
  /** inventory/day: RabbitMQ url, exchange and optional queue; webhook URLs. */
  amqpUrl?: string;
  exchange?: string;
  queue?: string;
  webhooks?: string[];
  /** vendor: which vendor and its folders. */
  vendorId?: 'VENDOR-A' | 'VENDOR-B';
  inboundDir?: string;
  outboundDir?: string;
  /** day: folder for EDI drops and logs. */
  workDir?: string;
  replenishment?: 'integration' | 'simulated';
  logFile?: string;
}

/** A started simulator: what it listens on, a promise for the end of its day (servers: never), stop. */
export interface RunningSimulator {
  name: SimulatorName;
  /** One line for the terminal, e.g. `erp listening on http://127.0.0.1:41234 (token loom:loom-secret)`. */
  describe: string;
  done: Promise<void>;
  stop(): Promise<void>;
  stats(): unknown;
}

/** Flags for the lead's `loom simulate` command (node:util parseArgs spec). */
export const SIMULATE_FLAGS = {
  target: { type: 'string' }, seed: { type: 'string' }, speed: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' },
  'inject-rate': { type: 'string' }, amqp: { type: 'string' }, exchange: { type: 'string' }, queue: { type: 'string' },
  webhook: { type: 'string', multiple: true }, vendor: { type: 'string' }, inbound: { type: 'string' }, outbound: { type: 'string' },
  'work-dir': { type: 'string' }, replenishment: { type: 'string' }, 'log-file': { type: 'string' },
} as const;

function num(values: Record<string, unknown>, flag: string, min: number, max = Infinity): number | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  const n = v === 'Infinity' || v === 'max' ? Infinity : Number(v);
  if (Number.isNaN(n) || n < min || n > max) {
    throw new LoomError('cli.option.invalid', `--${flag} expects a number from ${min} to ${max}, got "${String(v)}"`, { location: `--${flag}` });
  }
  return n;
}

/**
 * Turn parsed `loom simulate` flags (see SIMULATE_FLAGS) into SimulateOptions, with usage errors
 * naming the flag.
 *
 * @example
 * simulateOptionsFromFlags({ target: 'mllp://127.0.0.1:2575', seed: '7', speed: '60' })
 */
export function simulateOptionsFromFlags(values: Record<string, unknown>): SimulateOptions {
  const str = (f: string) => (typeof values[f] === 'string' ? (values[f] as string) : undefined);
  const vendor = str('vendor');
  if (vendor !== undefined && vendor !== 'VENDOR-A' && vendor !== 'VENDOR-B') {
    throw new LoomError('cli.option.invalid', `--vendor must be VENDOR-A or VENDOR-B, got "${vendor}"`, { location: '--vendor' });
  }
  const rep = str('replenishment');
  if (rep !== undefined && rep !== 'integration' && rep !== 'simulated') {
    throw new LoomError('cli.option.invalid', `--replenishment must be integration or simulated, got "${rep}"`, { location: '--replenishment' });
  }
  const seed = num(values, 'seed', 0, 2 ** 32 - 1);
  const speed = num(values, 'speed', 0.001);
  const port = num(values, 'port', 0, 65535);
  const injectRate = num(values, 'inject-rate', 0, 1);
  const hooks = values.webhook;
  return {
    ...(str('target') ? { target: str('target') } : {}), ...(seed !== undefined ? { seed } : {}), ...(speed !== undefined ? { speed } : {}),
    ...(port !== undefined ? { port } : {}), ...(str('host') ? { host: str('host') } : {}), ...(injectRate !== undefined ? { injectRate } : {}),
    ...(str('amqp') ? { amqpUrl: str('amqp') } : {}), ...(str('exchange') ? { exchange: str('exchange') } : {}), ...(str('queue') ? { queue: str('queue') } : {}),
    ...(Array.isArray(hooks) ? { webhooks: hooks.map(String) } : typeof hooks === 'string' ? { webhooks: [hooks] } : {}),
    ...(vendor ? { vendorId: vendor } : {}), ...(str('inbound') ? { inboundDir: str('inbound') } : {}), ...(str('outbound') ? { outboundDir: str('outbound') } : {}),
    ...(str('work-dir') ? { workDir: str('work-dir') } : {}), ...(rep ? { replenishment: rep } : {}), ...(str('log-file') ? { logFile: str('log-file') } : {}),
  };
}

function need<T>(value: T | undefined, flag: string, example: string): T {
  if (value === undefined) throw new LoomError('cli.option.missing', `--${flag} is required for this simulator`, { location: `--${flag}`, hint: `e.g. ${example}` });
  return value;
}

const never = new Promise<void>(() => undefined);

/**
 * Start one simulator by name, as `loom simulate <name>` does.
 *
 * @example
 * const sim = await runSimulator('ehr', { target: 'mllp://127.0.0.1:2575', seed: 7, speed: 60 });
 * console.log(sim.describe); await sim.done; await sim.stop();
 */
export async function runSimulator(name: string, options: SimulateOptions = {}): Promise<RunningSimulator> {
  const seed = options.seed ?? 1;
  const speed = options.speed ?? 60;
  const http = { port: options.port ?? 0, ...(options.host ? { host: options.host } : {}), ...(options.logFile ? { logFile: options.logFile } : {}) };
  switch (name) {
    case 'erp': {
      const s = await startErpSimulator(http);
      return { name, describe: `erp listening on ${s.url} (Authorization: ${s.authorization})`, done: never, stop: s.stop, stats: s.stats };
    }
    case 'procurement': {
      const s = await startProcurementSimulator(http);
      return { name, describe: `procurement listening on ${s.url} (Authorization: ${s.authorization})`, done: never, stop: s.stop, stats: s.stats };
    }
    case 'vendor': {
      const s = await startVendorSimulator({ vendorId: options.vendorId ?? 'VENDOR-A', inboundDir: need(options.inboundDir, 'inbound', '--inbound ./edi/in'),
        outboundDir: need(options.outboundDir, 'outbound', '--outbound ./edi/out'), seed, ...(options.logFile ? { logFile: options.logFile } : {}) });
      return { name, describe: `vendor ${s.vendorId} watching ${options.inboundDir}, answering into ${options.outboundDir}`, done: never, stop: s.stop, stats: s.stats };
    }
    case 'ehr':
    case 'inventory': {
      const day = generateDay({ seed, ...(options.injectRate !== undefined ? { injectRate: options.injectRate } : {}) });
      const clock = new ScenarioClock({ start: `${day.date}T06:00:00.000Z`, speed });
      let stopped = false;
      if (name === 'ehr') {
        const s = await startEhrSimulator({ target: need(options.target, 'target', '--target mllp://127.0.0.1:2575'), ...http });
        s.addCases(day.cases);
        const done = (async () => {
          for (const step of day.timeline) {
            if (step.kind !== 'hl7') continue;
            await clock.waitUntil(step.at);
            if (stopped) return;
            await s.sendStep(step);
          }
        })();
        return { name, describe: `ehr (seed ${seed}) sending ${day.timeline.filter((t) => t.kind === 'hl7').length} HL7 messages to ${options.target}; FHIR at ${s.url}/fhir/R4`,
          done, stop: async () => { stopped = true; clock.dispose(); await s.stop(); }, stats: s.stats };
      }
      const amqp = options.amqpUrl ? { url: options.amqpUrl, exchange: options.exchange ?? 'loom.inventory', ...(options.queue ? { queue: options.queue } : {}) } : undefined;
      const s = await startInventorySimulator({ ...http, ...(amqp ? { amqp } : {}), ...(options.webhooks ? { webhooks: options.webhooks } : {}) });
      const done = (async () => {
        for (const step of day.timeline) {
          if (step.kind !== 'consumption') continue;
          await clock.waitUntil(step.at);
          if (stopped) return;
          await s.publish(step.event, step.injected);
        }
      })();
      return { name, describe: `inventory (seed ${seed}) on ${s.url}, publishing to ${[amqp ? `${amqp.url} exchange ${amqp.exchange}` : '', ...(options.webhooks ?? [])].filter(Boolean).join(', ') || 'nowhere (no --amqp or --webhook)'}`,
        done, stop: async () => { stopped = true; clock.dispose(); await s.stop(); }, stats: s.stats };
    }
    case 'day': {
      const workDir = need(options.workDir, 'work-dir', '--work-dir ./.loom/sim');
      const amqp = options.amqpUrl ? { url: options.amqpUrl, exchange: options.exchange ?? 'loom.inventory', ...(options.queue ? { queue: options.queue } : {}) } : undefined;
      const run = await runScenarioDay({ seed, speed, workDir, ...(options.injectRate !== undefined ? { injectRate: options.injectRate } : {}),
        ...(options.replenishment ? { replenishment: options.replenishment } : {}),
        targets: { ...(options.target ? { mllp: options.target } : {}), ...(amqp ? { amqp } : {}), ...(options.webhooks ? { webhooks: options.webhooks } : {}) } });
      return { name, describe: `day (seed ${seed}) played: ERP ${run.erp.url}, procurement ${run.procurement.url}, inventory ${run.inventory.url}, FHIR ${run.ehr.url}/fhir/R4, EDI under ${workDir}/edi`,
        done: Promise.resolve(), stop: run.stop, stats: () => ({ expected: run.expected, injected: run.day.injected }) };
    }
    default:
      throw new LoomError('cli.usage', `unknown simulator "${name}"`, { hint: `choose one of ${SIMULATOR_NAMES.join(', ')}` });
  }
}
