import { existsSync } from 'node:fs';
import type { LoadedConfig } from '../config/index.js';
import type { CrosswalkRepository } from '../crosswalks/index.js';
import { IDENTIFIER_SYSTEMS_CROSSWALK } from '../mappings/index.js';
import type { Mapping, StepRegistry } from '../engine/index.js';
import { estateMappings, loadItemMaster, loadTradingPartners, startEstateProcesses, type EstateProcesses } from '../estate/index.js';
import type { Logger } from '../kernel/index.js';
import { PartnerService, profilesFromEstate, registerPartnerSteps } from '../partners/index.js';

export interface EstateServices {
  /** Durable processes (implant-case, item-stock, discharge-charge), when `master-data/items.csv` exists. */
  processes?: EstateProcesses;
  /** X12 control numbers, gap checks and expected acks, when `master-data/trading-partners.json` exists. */
  partners?: PartnerService;
  /** The estate's named translators (read their master data on first use). */
  mappings: Record<string, Mapping>;
  stop(): Promise<void>;
}

const OVERDUE_ACK_CHECK_MS = 60_000;
const COMPANY = 'Loom Hospital';

/**
 * The estate's services, switched on by the master data that sits beside the config: the seam
 * between the generic engine and the hospital estate's processes, partners and mappings.
 */
export async function startEstateServices(options: {
  steps: StepRegistry;
  loaded: LoadedConfig;
  dataDir: string;
  logger: Logger;
  /** Published crosswalks: `identifier-systems` names the FHIR feed's identifier systems. */
  crosswalks?: Pick<CrosswalkRepository, 'current'>;
  /** Clock of the process timers: a simulated day's scenario clock, else wall time. */
  now?: () => number;
}): Promise<EstateServices> {
  const { steps, loaded, dataDir, logger } = options;
  const itemsFile = loaded.resolvePath('master-data/items.csv');
  const partnersFile = loaded.resolvePath('master-data/trading-partners.json');
  const processes = existsSync(itemsFile)
    ? await startEstateProcesses(steps, { dataDir, items: loadItemMaster(itemsFile), company: COMPANY, ...(options.now ? { now: options.now } : {}) })
    : undefined;
  const partners = existsSync(partnersFile) ? new PartnerService({ dataDir, partners: profilesFromEstate(loadTradingPartners(partnersFile)) }) : undefined;
  let overdueTimer: NodeJS.Timeout | undefined;
  if (partners) {
    registerPartnerSteps(steps, partners);
    overdueTimer = setInterval(() => {
      for (const late of partners.overdue(Date.now())) logger.warn({ code: late.error.code, location: late.error.location }, late.error.message);
    }, OVERDUE_ACK_CHECK_MS);
    overdueTimer.unref();
  }
  const mappings = estateMappings({
    itemMaster: () => loadItemMaster(itemsFile),
    tradingPartners: () => loadTradingPartners(partnersFile),
    company: COMPANY,
    // read per event, so a newly published identifier-systems version applies without a restart
    ...(options.crosswalks ? { identifierSystems: () => options.crosswalks?.current(IDENTIFIER_SYSTEMS_CROSSWALK) } : {}),
  });
  return {
    ...(processes ? { processes } : {}),
    ...(partners ? { partners } : {}),
    mappings,
    async stop() {
      if (overdueTimer) clearInterval(overdueTimer);
      await processes?.stop();
      partners?.close();
    },
  };
}
