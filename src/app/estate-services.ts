import { existsSync } from 'node:fs';
import type { LoadedConfig } from '../config/index.js';
import type { CrosswalkRepository } from '../crosswalks/index.js';
import { IDENTIFIER_SYSTEMS_CROSSWALK, type Crosswalk } from '../mappings/index.js';
import type { Mapping, StepRegistry } from '../engine/index.js';
import { estateMappings, loadItemMaster, loadTradingPartners, startEstateProcesses, type EstateProcesses } from '../estate/index.js';
import type { Logger } from '../kernel/index.js';
import { PartnerService, openPostgresPartnerStore, profilesFromEstate, registerPartnerSteps } from '../partners/index.js';
import { openPostgresProcessStore } from '../processes/index.js';
import type { PgLocation } from '../store/index.js';

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
const IDENTIFIER_SYSTEMS_REFRESH_MS = 30_000;

/**
 * The published `identifier-systems` crosswalk, re-read every 30 s: mappings are synchronous and the
 * crosswalk store is not, so the FHIR feed reads this copy (a newly published version applies
 * within 30 s, without a restart).
 */
async function followIdentifierSystems(crosswalks: Pick<CrosswalkRepository, 'current'> | undefined, logger: Logger): Promise<{ current: Crosswalk | undefined; stop(): void }> {
  const state: { current: Crosswalk | undefined; stop(): void } = { current: undefined, stop: () => undefined };
  if (!crosswalks) return state;
  const refresh = async (): Promise<void> => {
    try {
      state.current = await crosswalks.current(IDENTIFIER_SYSTEMS_CROSSWALK);
    } catch (err) {
      logger.warn({ err }, 'cannot read the identifier-systems crosswalk; keeping the previous one');
    }
  };
  await refresh();
  const timer = setInterval(() => void refresh(), IDENTIFIER_SYSTEMS_REFRESH_MS);
  timer.unref();
  state.stop = () => clearInterval(timer);
  return state;
}
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
  /** Scale-out: keep the estate's state in this PostgreSQL schema (shared by every node) instead of `<dataDir>/loom.db`. */
  pg?: PgLocation;
}): Promise<EstateServices> {
  const { steps, loaded, dataDir, logger } = options;
  const itemsFile = loaded.resolvePath('master-data/items.csv');
  const partnersFile = loaded.resolvePath('master-data/trading-partners.json');
  const processes = existsSync(itemsFile)
    ? await startEstateProcesses(steps, {
      dataDir, items: loadItemMaster(itemsFile), company: COMPANY, ...(options.now ? { now: options.now } : {}),
      ...(options.pg ? { store: await openPostgresProcessStore(options.pg) } : {}),
    })
    : undefined;
  const partners = existsSync(partnersFile)
    ? new PartnerService({ dataDir, partners: profilesFromEstate(loadTradingPartners(partnersFile)), ...(options.pg ? { store: await openPostgresPartnerStore(options.pg) } : {}) })
    : undefined;
  const identifierSystems = await followIdentifierSystems(options.crosswalks, logger);
  let overdueTimer: NodeJS.Timeout | undefined;
  if (partners) {
    registerPartnerSteps(steps, partners);
    overdueTimer = setInterval(() => {
      partners.overdue(Date.now()).then((late) => {
        for (const l of late) logger.warn({ code: l.error.code, location: l.error.location }, l.error.message);
      }, (error: unknown) => logger.error({ err: error }, 'overdue-ACK check failed'));
    }, OVERDUE_ACK_CHECK_MS);
    overdueTimer.unref();
  }
  const mappings = estateMappings({
    itemMaster: () => loadItemMaster(itemsFile),
    tradingPartners: () => loadTradingPartners(partnersFile),
    company: COMPANY,
    identifierSystems: () => identifierSystems.current,
  });
  return {
    ...(processes ? { processes } : {}),
    ...(partners ? { partners } : {}),
    mappings,
    async stop() {
      if (overdueTimer) clearInterval(overdueTimer);
      identifierSystems.stop();
      await processes?.stop();
      await partners?.close();
    },
  };
}
