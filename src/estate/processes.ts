import type { StepFactory, StepRegistry } from '../engine/index.js';
import {
  ProcessManager, dischargeChargeProcess, implantCaseProcess, itemStockProcess, openSqliteProcessStore, registerProcessSteps, type ProcessCatalog, type ProcessStore,
} from '../processes/index.js';
import type { ItemMaster } from './item-master.js';

/** The item master as the processes read it (prices, charge codes, par, opening stock, accounts). */
export function processCatalogFromItemMaster(items: ItemMaster, company?: string): ProcessCatalog {
  return {
    currency: items.rows[0]?.currency ?? 'USD',
    expenseAccount: '5120 - Medical Supplies Cost - LH',
    offsetAccount: '1410 - Stock In Hand - LH',
    ...(company ? { company } : {}),
    items: items.rows.map((r) => ({
      sku: r.sku, description: r.description, gtin: r.gtin, ...(r.hibccDi ? { hibccDi: r.hibccDi } : {}), uom: r.uom, implant: r.implant,
      contractPrice: r.unitCost, chargeCode: r.chargeCode, chargePrice: r.chargePrice, costCenter: r.costCenter, vendor: r.vendor,
      par: r.par, onHand: r.initialStock, glAccount: r.glAccount, offsetAccount: r.offsetAccount,
    })),
  };
}

export interface EstateProcesses {
  manager: ProcessManager;
  stop(): Promise<void>;
}

/**
 * The estate's durable processes (implant-case, item-stock, discharge-charge) on the engine's
 * `loom.db`, their `process`/`process-effect` steps, and a timer sweep every `sweepMs`.
 *
 * @example
 * const processes = await startEstateProcesses(steps, { dataDir, items, company: 'Loom Hospital' });
 */
export async function startEstateProcesses(
  registry: StepRegistry,
  options: {
    dataDir: string; items: ItemMaster; company?: string; sweepMs?: number;
    /** Timer clock: wall time, or a simulated day's scenario clock. */ now?: () => number;
    /** The process store (PostgreSQL for scale-out); default the SQLite tables in `<dataDir>/loom.db`. Closed by `stop`. */
    store?: ProcessStore;
  },
): Promise<EstateProcesses> {
  const catalog = processCatalogFromItemMaster(options.items, options.company);
  const store = options.store ?? (await openSqliteProcessStore({ dataDir: options.dataDir }));
  const manager = new ProcessManager({
    store,
    processes: [implantCaseProcess({ catalog }), itemStockProcess({ catalog }), dischargeChargeProcess({ catalog })],
  });
  registerProcessSteps(registry, manager);
  registry.register('non-implant-supplies', nonImplantSupplies(options.items));
  // Timers compare with event times, so a simulated day sweeps on its own clock, not the wall's.
  const timer = setInterval(() => void manager.sweep(options.now?.()).catch(() => undefined), options.sweepMs ?? 5000);
  timer.unref();
  return {
    manager,
    async stop() {
      clearInterval(timer);
      await store.close();
    },
  };
}

/**
 * `non-implant-supplies`: keeps `supply.consumed` of plain supplies (costed per consumption) and drops
 * implants, which implant-case costs once per device when EHR documentation and consumption meet.
 * Unknown items pass, so the costing step fails them with a reason.
 */
export function nonImplantSupplies(items: ItemMaster): StepFactory {
  return () => (ctx) => {
    const event = ctx.parsed() as { type?: unknown; data?: { item?: { gtin?: string; hibccDi?: string; sku?: string } } } | null;
    if (event?.type !== 'supply.consumed') return { drop: `not a supply.consumed event (${String(event?.type)})` };
    const item = items.find(event.data?.item ?? {});
    return item?.implant ? { drop: `implant ${item.sku}: costed per device by implant-case` } : undefined;
  };
}
