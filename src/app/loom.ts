import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApiApp, ThroughputWindow } from '../api/index.js';
import { loadConfig, diffConfigs, type LoadedConfig, type ConfigOverrides, type LoomConfig } from '../config/index.js';
import { connectorKinds } from '../connectors/index.js';
import { serveConsole } from '../console/index.js';
import type { EstateProcesses, SimulatorsConfig } from '../estate/index.js';
import { startEstateServices } from './estate-services.js';
import { startEstateSimulators, type SimulatedEstate } from './estate-simulators.js';
import { Engine, StepRegistry, loadUserSteps, type UserStepLoader } from '../engine/index.js';
import { LoomError, systemClock, type ConnectorContext, type OutboundConnector, type SecurityRefusal } from '../kernel/index.js';
import { attachEngineMetrics, createLogger, createMetrics, sampleProcessMetrics, startObservability, startTracing, type LoomLogger, type LoomMetrics } from '../observability/index.js';
import { openPostgresStore, openSqliteStore } from '../store/index.js';
import { openCrosswalkRepository, openPostgresCrosswalkRepository } from '../crosswalks/index.js';
import { openAuditLog } from '../governance/audit/index.js';
import { openReleaseStore, ReleaseManager } from '../governance/releases/index.js';
import { InterfaceCatalog, openCatalogStore } from '../governance/catalog/index.js';
import { ContractRegistry, contractStep, openContractStore } from '../governance/contracts/index.js';
import { cipherFor, EncryptedStore } from '../governance/encryption/index.js';
import { openShadowStore, ShadowRecorder } from '../modernization/index.js';
import { enableSubscriptions, openFhirRepository } from '../fhir-server/index.js';
import type { Store } from '../kernel/store.js';
import { buildChannel, type BuiltChannel } from './build-channels.js';
import { codecBindings } from './codec-bindings.js';
import { startInbound, type RunningInbound } from './inbound.js';
import { registerStandardSteps } from './standard-steps.js';
import { SystemApiGateway, systemApiMetrics } from '../system-apis/index.js';

export interface StartLoomOptions {
  /** loom.config.yaml; without it `./loom.config.yaml` when present, else an empty engine. */
  configFile?: string;
  overrides?: ConfigOverrides;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Replace the JSON-lines logger (tests). */
  logger?: LoomLogger;
  /**
   * Start the simulated estate of the config's `simulators:` section (default true; LOOM_SIMULATORS=off
   * also disables); an object overrides fields of that section (tests: `{ speed: 20000, play: false }`).
   */
  simulators?: boolean | Partial<SimulatorsConfig>;
}

export interface RunningLoom {
  /** `http://127.0.0.1:8080`. */
  url: string;
  engine: Engine;
  config: LoomConfig;
  inbound(): RunningInbound[];
  /** The estate's process manager, when master-data/items.csv sits beside the config. */
  processes?: EstateProcesses;
  /** The in-process simulated estate, when the config's `simulators:` section turned it on. */
  simulators?: SimulatedEstate;
  reload(): Promise<{ added: string[]; changed: string[]; removed: string[] }>;
  /** Graceful: stop intake, finish in-flight work, close the store. */
  stop(): Promise<void>;
}

// Outbound connectors of a changed channel may still carry in-flight deliveries: close them later.
const OUTBOUND_CLOSE_GRACE_MS = 30_000;

function listen(app: { fetch: (request: Request) => Response | Promise<Response> }, host: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new LoomError(error.code === 'EADDRINUSE' ? 'server.port-in-use' : 'server.listen', `cannot listen on ${host}:${port}: ${error.code ?? error.message}`, {
          location: `${host}:${port}`,
          hint: error.code === 'EADDRINUSE' ? 'another process uses the port: stop it, or pass --port N (LOOM_PORT)' : 'check the host and port',
          cause: error,
        }),
      );
    });
  });
}

/**
 * Start Loom: configuration, store, engine with its channels, inbound connectors, API and console.
 *
 * @example
 * const loom = await startLoom({ configFile: 'examples/estate/loom.config.yaml' });
 * console.log(loom.url); // http://127.0.0.1:8080
 */
export async function startLoom(options: StartLoomOptions = {}): Promise<RunningLoom> {
  // Simulated peers start first: their free-port addresses are environment defaults for the config.
  const simulators = options.simulators === false ? undefined : await startEstateSimulators(options);
  const env = simulators ? { ...simulators.env, ...(options.env ?? process.env) } : options.env ?? process.env;
  try {
    return await startEngine(options, env, simulators);
  } catch (err) {
    await simulators?.stop();
    throw err;
  }
}

async function startEngine(options: StartLoomOptions, env: Record<string, string | undefined>, simulators: SimulatedEstate | undefined): Promise<RunningLoom> {
  const load = (): LoadedConfig =>
    loadConfig({ file: options.configFile, cwd: options.cwd, env, overrides: options.overrides, connectorKinds });
  let loaded = load();
  const config = loaded.config;
  const logger = options.logger ?? createLogger({ level: config.logging.level, redact: config.logging.redact, base: { service: 'loom' } });
  // store.encryption: payloads are encrypted before the store sees them (docs/governance.md); a bad key fails here, before anything opens.
  const payloadCipher = cipherFor(config.store.encryption);
  const plainStore = await openStore(config);
  const store = payloadCipher ? new EncryptedStore(plainStore, payloadCipher) : plainStore;
  // The one hash-chained audit log, beside the message store (same SQLite file or PostgreSQL schema).
  const audit = await openAuditLog(config.store);
  const pg = config.store.kind === 'postgres' ? { url: config.store.url, ...(config.store.schema ? { schema: config.store.schema } : {}) } : undefined;
  const crosswalks = pg ? await openPostgresCrosswalkRepository(pg) : openCrosswalkRepository({ dataDir: config.store.dataDir });
  // Every applied config becomes a numbered release, with the crosswalk versions in effect.
  const releases = new ReleaseManager({
    store: await openReleaseStore(config.store), audit, configFile: () => loaded.file,
    crosswalks: async () => Object.fromEntries((await crosswalks.list()).flatMap((c) => (c.current ? [[c.name, c.current]] : []))),
  });
  const catalog = new InterfaceCatalog(await openCatalogStore(config.store), () => loaded.config, audit);
  const contracts = new ContractRegistry(await openContractStore(config.store), audit);
  // Shadow runs: channels beside the legacy interfaces they replace, outputs compared per message.
  const shadow = new ShadowRecorder(await openShadowStore(config.store), systemClock);
  // Loom's own FHIR R4 store (`fhir-store` destinations write it; /fhir/R4 serves it, with rest-hook Subscriptions).
  const fhir = openFhirRepository({ dataDir: config.store.dataDir });
  const fhirSubscriptions = enableSubscriptions(fhir);
  const steps = new StepRegistry();
  registerStandardSteps(steps);
  steps.register('contract', contractStep(contracts));
  let userSteps: UserStepLoader | undefined;
  if (config.steps?.dir) {
    userSteps = loadUserSteps(loaded.resolvePath(config.steps.dir), steps);
    await userSteps.load();
  }
  // Master data beside the config (master-data/items.csv, trading-partners.json) turns on the estate's services.
  const estate = await startEstateServices({ steps, loaded, dataDir: config.store.dataDir, logger, crosswalks, ...(simulators ? { now: () => simulators.now() } : {}), ...(pg ? { pg } : {}) });
  const { processes, mappings } = estate;
  const engine = new Engine({ store, audit, logger, steps, mappings, ...codecBindings });
  const metrics = createMetrics();
  attachEngineMetrics(metrics, engine.events);
  const throughput = new ThroughputWindow();
  throughput.attach(engine.events);
  engine.events.on('error', (error) => logger.error({ err: error }, 'engine error'));
  sampleStoreMetrics(metrics, engine, store);
  // OTLP trace export (observability.tracing.otlp); off by default. Before the first engine event.
  const tracing = startTracing(config.observability?.tracing?.otlp, logger);
  const observability = startObservability({
    tracer: tracing.tracer,
    events: engine.events,
    channels: () => engine.channelStatus(),
    alerts: config.alerts,
    slas: config.slas,
    dataDir: config.store.dataDir,
    logger,
  });
  // Process SLAs (discharge → charge) count each sample once its process transaction commits.
  processes?.manager.onSample((sample) => observability.slas.recordProcessSample(sample));
  // Delivery latency p50/p95 per throughput bucket (the console's latency chart).
  observability.signals.onDelivery((s) => throughput.recordLatency(s.latencyMs));
  if (processes) sampleProcessMetrics(metrics, processes.manager);

  // A refused webhook is a security event: audited, and a failed append only logged (the 401 stands).
  const onSecurityRefusal = (refusal: SecurityRefusal): void => {
    audit.append({ actor: 'anonymous', action: 'inbound.refused', target: refusal.channel, detail: { code: refusal.code, message: refusal.message } })
      .catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err), channel: refusal.channel }, 'audit append failed for a refused inbound request'));
  };
  const context = (base: LoadedConfig): ConnectorContext => ({ logger, clock: systemClock, resolvePath: base.resolvePath, intake: engine, dataDir: config.store.dataDir, onSecurityRefusal });
  const built = new Map<string, BuiltChannel>();
  const inbound = new Map<string, RunningInbound>();
  const buildAll = (from: LoadedConfig, names: Iterable<string>): void => {
    for (const name of names) {
      const channel = from.config.channels.find((c) => c.name === name);
      if (channel) built.set(name, buildChannel(channel, connectorKinds, context(from), shadow));
    }
  };
  buildAll(loaded, config.channels.map((c) => c.name));
  engine.applyChannels([...built.values()].map((b) => b.definition));
  await engine.start();
  if (loaded.text !== undefined) await releases.applied({ text: loaded.text, ...(loaded.file ? { file: loaded.file } : {}), actor: 'system', reason: 'start' });
  engine.startRetention({
    processedMs: config.retention.processed,
    errorMs: config.retention.failed,
    deadLetterMs: config.retention.deadLettered,
  });

  let url = `http://${config.server.host}:${config.server.port}`;
  const httpIntake = new Map<string, (request: Request) => Promise<Response>>();
  const startChannelInbound = async (name: string): Promise<void> => {
    const b = built.get(name);
    if (!b) return;
    const running = await startInbound(name, b.definition.sourceSystem, b.inbound, connectorKinds, engine, context(loaded), url);
    inbound.set(name, running);
    if (running.httpHandler) httpIntake.set(name, running.httpHandler);
  };
  const stopChannelInbound = async (name: string): Promise<void> => {
    const running = inbound.get(name);
    inbound.delete(name);
    httpIntake.delete(name);
    await running?.connector?.stop();
  };
  const closeLater = (connectors: OutboundConnector[]): void => {
    setTimeout(() => void Promise.allSettled(connectors.map((c) => c.close())), OUTBOUND_CLOSE_GRACE_MS).unref();
  };

  // System APIs: one gateway per applied config (a reload swaps it), usage counters registered once.
  const recordSystemApiUsage = systemApiMetrics(metrics.registry);
  const newGateway = (from: LoadedConfig) => new SystemApiGateway(from.config.systemApis, { onUsage: recordSystemApiUsage });
  let systemApis = newGateway(loaded);
  engine.events.on('processed', ({ channel }) => systemApis.channelProcessed(channel));

  let ready = false;
  const app = createApiApp({
    engine,
    throughput,
    ready: () => ready,
    metrics: { contentType: metrics.contentType, render: () => metrics.text() },
    httpIntake,
    ...(processes ? { processes: processes.manager } : {}),
    observability: { alerts: observability.alerts, slas: observability.slas },
    crosswalks,
    audit,
    releases,
    catalog,
    contracts,
    shadow,
    systemApis: () => systemApis,
    fhir,
    console: serveConsole(),
    describeChannel: (name) => {
      const b = built.get(name);
      const running = inbound.get(name);
      if (!b) return undefined;
      return {
        sourceSystem: b.definition.sourceSystem,
        ...(running ? { inbound: { kind: running.kind, address: running.address } } : {}),
        destinations: loaded.config.channels.find((c) => c.name === name)?.destinations.map((d) => ({ name: d.name, kind: d.kind })) ?? [],
      };
    },
    reload: async (who, release) => {
      const next = load();
      const diff = diffConfigs(loaded.config, next.config);
      for (const name of [...diff.changed, ...diff.removed]) {
        await stopChannelInbound(name);
        const old = built.get(name);
        built.delete(name);
        if (old) closeLater(old.outbound);
      }
      loaded = next;
      systemApis = newGateway(loaded);
      buildAll(loaded, [...diff.added, ...diff.changed]);
      engine.applyChannels([...built.values()].map((b) => b.definition));
      for (const name of [...diff.added, ...diff.changed]) await startChannelInbound(name);
      if (next.text !== undefined) {
        await releases.applied({ text: next.text, ...(next.file ? { file: next.file } : {}), actor: who.actor, reason: release?.reason ?? 'reload', ...(release ? { rolledBackTo: release.rolledBackTo } : {}) });
      }
      logger.info({ ...diff }, 'configuration reloaded');
      return diff;
    },
  });
  const server = await listen(app, config.server.host, config.server.port);
  const address = server.address() as AddressInfo;
  url = `http://${config.server.host}:${address.port}`;
  for (const channel of config.channels) await startChannelInbound(channel.name);
  ready = true;
  logger.info({ url, channels: config.channels.length, dataDir: config.store.dataDir }, 'loom started');
  if (simulators) {
    const mllp = [...inbound.values()].find((i) => i.kind === 'mllp')?.address ?? '';
    await simulators.attach({ mllp, api: url });
    logger.info({ erp: simulators.erp.url, ehrFhir: simulators.ehr.url, inventory: simulators.inventory?.url, procurement: simulators.procurement.url, transport: simulators.transport,
      seed: simulators.config.seed, steps: simulators.day.timeline.length, expected: { costPostings: simulators.day.expected.costPostings.count, implants: simulators.day.expected.implants.length } }, 'simulated estate playing');
  }

  let stopping: Promise<void> | undefined;
  return {
    get url() {
      return url;
    },
    engine,
    get config() {
      return loaded.config;
    },
    inbound: () => [...inbound.values()],
    ...(simulators ? { simulators } : {}),
    ...(processes ? { processes } : {}),
    reload: async () => {
      const diff = await app.request('/api/v1/config/reload', { method: 'POST' });
      if (!diff.ok) throw new LoomError('config.reload.failed', await diff.text());
      return (await diff.json()) as { added: string[]; changed: string[]; removed: string[] };
    },
    stop: () => {
      stopping ??= (async () => {
        ready = false;
        await simulators?.stop();
        for (const name of [...inbound.keys()]) await stopChannelInbound(name);
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await observability.stop();
        await engine.stop({ closeStore: true });
        await releases.close();
        await catalog.close();
        await contracts.close();
        await shadow.close();
        await audit.close();
        await tracing.shutdown();
        await crosswalks.close();
        await fhirSubscriptions.stop();
        fhir.close();
        await estate.stop();
        await Promise.allSettled([...built.values()].flatMap((b) => b.outbound.map((c) => c.close())));
        userSteps?.dispose();
        logger.info({}, 'loom stopped');
        logger.flush();
      })();
      return stopping;
    },
  };
}

/** The configured MessageStore: embedded SQLite by default, PostgreSQL for scale-out. */
async function openStore(config: LoomConfig): Promise<Store> {
  if (config.store.kind === 'postgres') {
    return openPostgresStore({ url: config.store.url, ...(config.store.schema ? { schema: config.store.schema } : {}) });
  }
  return openSqliteStore({ dataDir: config.store.dataDir });
}

/** Before each /metrics scrape: outbox depth and oldest age per destination, from the engine's tallies. */
function sampleStoreMetrics(metrics: LoomMetrics, engine: Engine, store: Store): void {
  metrics.onScrape(async () => metrics.storeSize.set(await store.sizeBytes()));
  metrics.onScrape(async () => {
    for (const channel of await engine.channelStatus()) {
      for (const destination of channel.destinations) {
        const labels = { channel: channel.name, destination: destination.name };
        metrics.outboxDepth.set(labels, destination.pending);
        metrics.outboxOldestAge.set(labels, destination.oldestPendingMs / 1000);
      }
    }
  });
}
