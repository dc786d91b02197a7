import { mkdir, readdir, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { build850, serializeX12, parseX12 } from '../../codecs/x12/index.js';
import { readFile } from 'node:fs/promises';
import { findItem, HOSPITAL_X12_ID, SUPPLIERS, type CatalogItem } from '../catalog.js';
import { ScenarioClock } from '../clock.js';
import { startEhrSimulator, type EhrSimulator } from '../ehr/simulator.js';
import { startMllpSink } from '../ehr/sink.js';
import { startErpSimulator, type ErpSimulator } from '../erp/simulator.js';
import { waitFor } from '../http.js';
import { startInventorySimulator, type InventoryAmqpTarget, type InventorySimulator } from '../inventory/simulator.js';
import { startProcurementSimulator, type ProcurementSimulator } from '../procurement/simulator.js';
import type { SimLogEntry } from '../sim-log.js';
import { startVendorSimulator, type VendorSimulator } from '../vendor/simulator.js';
import { generateDay, type ScenarioDay } from './generate.js';
import type { TimelineStep } from './types.js';

export interface ScenarioTargets {
  /** Where the EHR sends HL7 (Loom's MLLP listener); without it a built-in ACK sink stands in. */
  mllp?: string;
  /** Inventory consumption events to RabbitMQ and/or webhooks. */
  amqp?: InventoryAmqpTarget;
  webhooks?: string[];
}

export interface RunScenarioOptions {
  seed: number;
  /** Simulated seconds per real second (default 600; Infinity plays the day as fast as peers answer). */
  speed?: number;
  targets?: ScenarioTargets;
  injectRate?: number;
  date?: string;
  cases?: number;
  /** Folder for vendor file drops (`<workDir>/edi/<VENDOR>/in|out`) and JSON-lines logs (required). */
  workDir: string;
  /**
   * Who closes the replenishment loop: `integration` (default; Loom must turn below-par stock into POs,
   * 850s, receipts) or `simulated` (the orchestrator plays procurement → 850 → vendor → 856 → stock itself).
   */
  replenishment?: 'integration' | 'simulated';
  /** Fixed ports (0 = free). */
  ports?: { ehrFhir?: number; erp?: number; inventory?: number; procurement?: number };
  ackTimeoutMs?: number;
}

export interface ScenarioRun {
  day: ScenarioDay;
  /** What a correct integration must produce (from the generated events, not from Loom). */
  expected: ScenarioDay['expected'];
  ehr: EhrSimulator;
  erp: ErpSimulator;
  inventory: InventorySimulator;
  procurement: ProcurementSimulator;
  vendors: VendorSimulator[];
  ediDirs: Record<string, { inbound: string; outbound: string }>;
  /** Every simulator's log entries tagged `injected`. */
  injectedLog(): SimLogEntry[];
  stop(): Promise<void>;
}

/**
 * Start every simulator, play a seeded hospital day through them on a scenario clock, and return the
 * running estate with the totals a correct integration must reach. The simulators keep running so a
 * test can compare Loom's effects (ERP `/__sim/state`, inventory `/stock`) with `expected`; call stop().
 *
 * @example
 * const run = await runScenarioDay({ seed: 7, speed: Infinity, workDir, targets: { mllp: 'mllp://127.0.0.1:2575' } });
 * expect(erpJournalEntries).toHaveLength(run.expected.costPostings.count); await run.stop();
 */
export async function runScenarioDay(options: RunScenarioOptions): Promise<ScenarioRun> {
  const day = generateDay({ seed: options.seed, injectRate: options.injectRate, date: options.date, cases: options.cases });
  await mkdir(options.workDir, { recursive: true });
  const offContract = new Set(day.timeline.flatMap((s) => (s.kind === 'replenish' && s.injected === 'price-off-contract' ? [`${s.poNumber}|${s.sku}`] : [])));
  const clock = new ScenarioClock({ start: `${day.date}T06:00:00.000Z`, speed: options.speed ?? 600 });
  const sink = options.targets?.mllp ? undefined : await startMllpSink();
  const started: { stop(): Promise<void> }[] = [];
  try {
    const erp = await startErpSimulator({ port: options.ports?.erp, logFile: join(options.workDir, 'erp.jsonl') });
    started.push(erp);
    const procurement = await startProcurementSimulator({ port: options.ports?.procurement, logFile: join(options.workDir, 'procurement.jsonl') });
    started.push(procurement);
    const inventory = await startInventorySimulator({ port: options.ports?.inventory, amqp: options.targets?.amqp, webhooks: options.targets?.webhooks, logFile: join(options.workDir, 'inventory.jsonl') });
    started.push(inventory);
    const ediDirs: ScenarioRun['ediDirs'] = {};
    const vendors: VendorSimulator[] = [];
    for (const s of SUPPLIERS) {
      ediDirs[s.id] = { inbound: join(options.workDir, 'edi', s.id, 'in'), outbound: join(options.workDir, 'edi', s.id, 'out') };
      const v = await startVendorSimulator({ vendorId: s.id, inboundDir: ediDirs[s.id].inbound, outboundDir: ediDirs[s.id].outbound, seed: options.seed,
        now: () => clock.now(), invoicePriceFactor: (po, sku) => (offContract.has(`${po}|${sku}`) ? 1.2 : 1), logFile: join(options.workDir, `vendor-${s.id}.jsonl`) });
      vendors.push(v);
      started.push(v);
    }
    const ehr = await startEhrSimulator({ target: options.targets?.mllp ?? (sink as { url: string }).url, port: options.ports?.ehrFhir,
      ackTimeoutMs: options.ackTimeoutMs, logFile: join(options.workDir, 'ehr.jsonl') });
    started.push(ehr);
    ehr.addCases(day.cases);

    const pending = new Map<string, Extract<TimelineStep, { kind: 'replenish' }>[]>();
    for (const step of day.timeline) {
      await clock.waitUntil(step.at);
      if (step.kind === 'hl7') await ehr.sendStep(step);
      else if (step.kind === 'consumption') await inventory.publish(step.event, step.injected);
      else pending.set(step.poNumber, [...(pending.get(step.poNumber) ?? []), step]);
    }
    if (options.replenishment === 'simulated') {
      for (const [poNumber, lines] of pending) await replenishThroughVendor(poNumber, lines, { procurement, inventory, ediDirs, clock });
    }
    const all = [ehr, inventory, procurement, erp, ...vendors];
    return {
      day, expected: day.expected, ehr, erp, inventory, procurement, vendors, ediDirs,
      injectedLog: () => all.flatMap((s) => s.stats().log.filter((e) => e.injected !== undefined)),
      async stop() {
        clock.dispose();
        for (const s of started.reverse()) await s.stop();
        await sink?.stop();
      },
    };
  } catch (err) {
    clock.dispose();
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await sink?.stop();
    throw err;
  }
}

/** Play one PO through procurement, the vendor's file drop and the 856 back into inventory stock. */
async function replenishThroughVendor(poNumber: string, lines: Extract<TimelineStep, { kind: 'replenish' }>[],
  ctx: { procurement: ProcurementSimulator; inventory: InventorySimulator; ediDirs: ScenarioRun['ediDirs']; clock: ScenarioClock }): Promise<void> {
  const items = lines.map((l) => ({ line: l, item: findItem({ sku: l.sku }) as CatalogItem }));
  const vendor = items[0].item.vendor;
  const location = lines[0].location;
  await fetch(`${ctx.procurement.url}/api/purchase-orders`, {
    method: 'POST', headers: { authorization: ctx.procurement.authorization, 'content-type': 'application/json', 'idempotency-key': poNumber },
    body: JSON.stringify({ poNumber, supplier: vendor, location, lines: items.map(({ line }) => ({ sku: line.sku, quantity: line.quantity })) }),
  });
  const supplier = SUPPLIERS.find((s) => s.id === vendor) as (typeof SUPPLIERS)[number];
  const ic = build850({ poNumber, date: lines[0].at.slice(0, 10), vendor: { name: supplier.name, idQualifier: '92', id: supplier.x12Id },
    lines: items.map(({ line, item }) => ({ quantity: line.quantity, uom: item.uom, unitPrice: item.contractPrice, gtin: item.gtin, buyerPartId: item.sku })) },
  { senderId: HOSPITAL_X12_ID, receiverId: supplier.x12Id, controlNumber: Number(poNumber.replace(/\D/g, '').slice(-9)), timestamp: ctx.clock.nowIso() });
  const dirs = ctx.ediDirs[vendor];
  const name = `850-${poNumber}.x12`;
  await writeFile(join(dirs.inbound, `.${name}.tmp`), serializeX12(ic));
  await rename(join(dirs.inbound, `.${name}.tmp`), join(dirs.inbound, name));
  const asnFile = (await waitForFile(dirs.outbound, (f) => f.includes(`-856-${poNumber}-`)));
  const asn = parseX12(await readFile(join(dirs.outbound, asnFile), 'utf8'));
  // SN102 quantity shipped per LIN item; receive what the ASN says shipped
  const set = asn.groups[0].sets[0];
  let gtin: string | undefined;
  const received = new Map<string, number>();
  for (const seg of set.segments) {
    if (seg.id === 'LIN') gtin = seg.elements[seg.elements.indexOf('UK') + 1];
    if (seg.id === 'SN1' && gtin) received.set(gtin, (received.get(gtin) ?? 0) + Number(seg.elements[1]));
  }
  for (const [g, qty] of received) ctx.inventory.replenish(location, { gtin: g }, qty, poNumber);
  await fetch(`${ctx.procurement.url}/api/purchase-orders/${encodeURIComponent(poNumber)}/status`, {
    method: 'POST', headers: { authorization: ctx.procurement.authorization, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'received' }),
  });
}

async function waitForFile(dir: string, match: (f: string) => boolean): Promise<string> {
  let found: string | undefined;
  await waitFor(async () => { found = (await readdir(dir)).find((f) => !f.startsWith('.') && match(f)); return found !== undefined; }, 15_000);
  return found as string;
}
