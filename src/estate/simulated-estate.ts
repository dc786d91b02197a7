import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../kernel/index.js';
import {
  SUPPLIERS, ScenarioClock, generateDay, startEhrSimulator, startErpSimulator, startInventorySimulator, startProcurementSimulator, startVendorSimulator,
  type EhrSimulator, type ErpSimulator, type InventorySimulator, type ProcurementSimulator, type ScenarioDay, type SimLogEntry, type TimelineStep, type VendorSimulator,
} from '../simulators/index.js';
import type { SimulatorsConfig } from './simulators-config.js';

/** Where Loom's side of the estate listens, known once it started. */
export interface LoomEndpoints {
  /** `mllp://127.0.0.1:2575` of the EHR feed. */
  mllp: string;
  /** `http://127.0.0.1:8080` (the API, where HTTP channels are mounted). */
  api: string;
}

export interface PlayProgress {
  done: boolean;
  steps: number;
  played: number;
  error?: string;
}

/** The simulated peers of the estate, started before Loom's channels. */
export interface SimulatedEstate {
  config: SimulatorsConfig;
  day: ScenarioDay;
  /** Environment defaults for loom.config.yaml references: ERP_URL, ERP_TOKEN, VENDOR_A_EDI_IN ... */
  env: Record<string, string>;
  erp: ErpSimulator;
  procurement: ProcurementSimulator;
  vendors: VendorSimulator[];
  ediDirs: Record<string, { inbound: string; outbound: string }>;
  /** Its FHIR API is up from the start (EHR_FHIR_URL); its HL7 goes to Loom once `attach` ran. */
  ehr: EhrSimulator;
  /** Set once `attach` ran. */
  inventory?: InventorySimulator;
  /** Simulated time (ms) of the scenario clock: process timers of a simulated day run on it. */
  now(): number;
  /** How inventory consumption travels: decided at start (`auto` probes the broker). */
  transport: 'amqp' | 'webhook' | 'both';
  /** Aim the EHR at Loom's MLLP port, start the inventory peer against Loom's endpoints, and (when `play`) play the day in the background. */
  attach(loom: LoomEndpoints): Promise<void>;
  /** Resolves when the day has been played (or failed). */
  played(): Promise<PlayProgress>;
  progress(): PlayProgress;
  /** Every simulator's log entries tagged `injected` (bad data on purpose). */
  injectedLog(): SimLogEntry[];
  stop(): Promise<void>;
}

/** Does anything answer on host:port within the timeout? */
export function reachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname, port: Number(u.port || 5672) });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Start the estate's peers that Loom's destinations need (ERP, procurement, vendors by file drop)
 * on free ports and generate the seeded day. `key` names broker queues, so two estates (different
 * ports or data dirs) never share one.
 *
 * @example
 * const sims = await startSimulatedEstate(config, { workDir: '.loom/simulators', key: 'estate-8080' });
 * const loom = await startLoom({ env: { ...sims.env, ...process.env } }); await sims.attach({ mllp, api: loom.url });
 */
export async function startSimulatedEstate(config: SimulatorsConfig, options: { workDir: string; key: string; logger?: Logger }): Promise<SimulatedEstate> {
  const workDir = options.workDir;
  await mkdir(workDir, { recursive: true });
  const day = generateDay({ seed: config.seed, injectRate: config.badDataRate, ...(config.date ? { date: config.date } : {}), ...(config.cases ? { cases: config.cases } : {}) });
  const clock = new ScenarioClock({ start: `${day.date}T06:00:00.000Z`, speed: config.speed });
  const started: { stop(): Promise<void> }[] = [];
  const brokerUp = config.inventory.transport === 'webhook' ? false : await reachable(config.inventory.amqpUrl);
  const transport = config.inventory.transport === 'auto' ? (brokerUp ? 'both' : 'webhook') : config.inventory.transport;
  const offContract = new Set(day.timeline.flatMap((s) => (s.kind === 'replenish' && s.injected === 'price-off-contract' ? [`${s.poNumber}|${s.sku}`] : [])));
  try {
    const erp = await startErpSimulator({ logFile: join(workDir, 'erp.jsonl') });
    started.push(erp);
    const procurement = await startProcurementSimulator({ logFile: join(workDir, 'procurement.jsonl') });
    started.push(procurement);
    const ediDirs: SimulatedEstate['ediDirs'] = {};
    const vendors: VendorSimulator[] = [];
    for (const s of SUPPLIERS) {
      ediDirs[s.id] = { inbound: join(workDir, 'edi', s.id, 'in'), outbound: join(workDir, 'edi', s.id, 'out') };
      await mkdir(ediDirs[s.id].inbound, { recursive: true });
      await mkdir(ediDirs[s.id].outbound, { recursive: true });
      const v = await startVendorSimulator({
        vendorId: s.id, inboundDir: ediDirs[s.id].inbound, outboundDir: ediDirs[s.id].outbound, seed: config.seed, pollMs: 200,
        now: () => clock.now(), invoicePriceFactor: (po, sku) => (offContract.has(`${po}|${sku}`) ? 1.2 : 1), logFile: join(workDir, `vendor-${s.id}.jsonl`),
      });
      vendors.push(v);
      started.push(v);
    }
    // Up before Loom, so the estate's fhir-poll channel finds the EHR's FHIR API from its first poll;
    // its HL7 sender is aimed at Loom's MLLP port in attach().
    const ehr = await startEhrSimulator({ ackTimeoutMs: 5000, logFile: join(workDir, 'ehr.jsonl') });
    started.push(ehr);
    ehr.addCases(day.cases);
    const queue = `loom.estate.consumption.${createHash('sha256').update(options.key).digest('hex').slice(0, 12)}`;
    const env: Record<string, string> = {
      ERP_URL: erp.url,
      EHR_FHIR_URL: `${ehr.url}/fhir/R4`,
      ERP_TOKEN: erp.authorization,
      PROCUREMENT_URL: procurement.url,
      INVENTORY_AMQP_URL: config.inventory.amqpUrl,
      INVENTORY_QUEUE: queue,
      ...Object.fromEntries(SUPPLIERS.flatMap((s) => {
        const tag = s.id.replace(/-/g, '_');
        return [[`${tag}_EDI_IN`, ediDirs[s.id].inbound], [`${tag}_EDI_OUT`, ediDirs[s.id].outbound]];
      })),
    };
    const progress: PlayProgress = { done: !config.play, steps: day.timeline.length, played: 0 };
    let playing: Promise<PlayProgress> = Promise.resolve(progress);
    let stopped = false;
    const estate: SimulatedEstate = {
      config, day, env, erp, procurement, vendors, ediDirs, transport, ehr, now: () => clock.now().getTime(),
      async attach(loom) {
        ehr.aim(loom.mllp);
        const inventory = await startInventorySimulator({
          logFile: join(workDir, 'inventory.jsonl'),
          ...(transport !== 'webhook' ? { amqp: { url: config.inventory.amqpUrl, exchange: config.inventory.exchange, queue } } : {}),
          ...(transport !== 'amqp' ? { webhooks: [`${loom.api}/api/v1/channels/inventory-webhook/messages`] } : {}),
        });
        started.push(inventory);
        estate.inventory = inventory;
        if (!config.play) return;
        playing = playDay(day.timeline, { clock, ehr, inventory, progress, stopped: () => stopped }).then(
          () => ((progress.done = true), progress),
          (err: unknown) => {
            progress.done = true;
            progress.error = err instanceof Error ? err.message : String(err);
            options.logger?.warn({ err: progress.error }, 'simulated day stopped');
            return progress;
          },
        );
      },
      played: () => playing,
      progress: () => ({ ...progress }),
      injectedLog: () => [erp, procurement, ...vendors, ehr, ...(estate.inventory ? [estate.inventory] : [])]
        .flatMap((s) => s.stats().log.filter((e) => e.injected !== undefined)),
      async stop() {
        stopped = true;
        clock.dispose();
        for (const s of started.reverse()) await s.stop().catch(() => undefined);
      },
    };
    return estate;
  } catch (err) {
    clock.dispose();
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    throw err;
  }
}

/**
 * Play the timeline: HL7 through the EHR's MLLP sender, consumption through the inventory platform.
 * The generator's own replenishment steps are skipped: in the estate Loom's item-stock process
 * decides when to reorder (its 850s go to the vendors by file drop).
 */
async function playDay(timeline: readonly TimelineStep[], ctx: {
  clock: ScenarioClock; ehr: EhrSimulator; inventory: InventorySimulator; progress: PlayProgress; stopped: () => boolean;
}): Promise<void> {
  for (const step of timeline) {
    if (ctx.stopped()) return;
    await ctx.clock.waitUntil(step.at);
    if (ctx.stopped()) return;
    if (step.kind === 'hl7') await ctx.ehr.sendStep(step);
    else if (step.kind === 'consumption') await ctx.inventory.publish(step.event, step.injected);
    ctx.progress.played++;
  }
}
