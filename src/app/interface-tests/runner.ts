import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../config/index.js';
import { connectorKinds } from '../../connectors/index.js';
import { Engine, StepRegistry, type ChannelDefinition } from '../../engine/index.js';
import { estateMappings, loadItemMaster, loadTradingPartners, startEstateProcesses, type EstateProcesses } from '../../estate/index.js';
import { LoomError, systemClock, toLoomError, type ConnectorKind, type DeliveryRequest, type DeliveryResult, type OutboundConnector } from '../../kernel/index.js';
import { openSqliteStore } from '../../store/index.js';
import { buildChannel } from '../build-channels.js';
import { codecBindings } from '../codec-bindings.js';
import { registerStandardSteps } from '../standard-steps.js';
import { checkMessage, type Mismatch } from './checks.js';
import type { InterfaceTest } from './fixture.js';

/** A destination replaced for the test: it records what the engine delivers. */
class CapturingOutbound implements OutboundConnector {
  readonly kind = 'capture';
  constructor(private readonly sink: Map<string, Uint8Array[]>, private readonly destination: string) {}
  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const list = this.sink.get(this.destination) ?? [];
    list.push(request.payload);
    this.sink.set(this.destination, list);
    return { status: 'delivered' };
  }
  async close(): Promise<void> {}
}

export interface TestResult {
  test: InterfaceTest;
  ok: boolean;
  mismatches: Mismatch[];
}

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child() { return silent; } };

/** `${env:NAME}` references the environment does not set get a placeholder: destinations are captured, never called. */
function placeholderEnv(configFile: string | undefined, env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env };
  if (!configFile) return out;
  for (const m of readFileSync(configFile, 'utf8').matchAll(/\$\{env:([^}]+)\}/g)) {
    const name = m[1].trim();
    if (out[name] === undefined) out[name] = name.endsWith('_URL') ? `http://127.0.0.1:9/${name.toLowerCase()}` : `/tmp/loom-test-${name.toLowerCase()}`;
  }
  return out;
}

/**
 * Run interface tests through the REAL pipeline of the config's channels: an Engine on a temp store
 * with the same steps, mappings and processes as `loom start`, every destination replaced by a
 * capturing connector. One fresh engine per test, so tests do not share state.
 *
 * @example
 * const results = await runInterfaceTests(loadInterfaceTests('examples/estate/tests'), { configFile: 'examples/estate/loom.config.yaml' });
 */
export async function runInterfaceTests(tests: readonly InterfaceTest[], options: { configFile?: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<TestResult[]> {
  const env = options.env ?? process.env;
  const probe = loadConfig({ file: options.configFile, env: placeholderEnv(options.configFile, env), connectorKinds, overrides: { dataDir: os.tmpdir() } });
  const results: TestResult[] = [];
  for (const test of tests) results.push(await runOne(test, probe, options.timeoutMs ?? 10_000));
  return results;
}

async function runOne(test: InterfaceTest, loaded: LoadedConfig, timeoutMs: number): Promise<TestResult> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'loom-test-'));
  const captured = new Map<string, Uint8Array[]>();
  const steps = new StepRegistry();
  registerStandardSteps(steps);
  const store = await openSqliteStore({ dataDir });
  let processes: EstateProcesses | undefined;
  let engine: Engine | undefined;
  try {
    const itemsFile = loaded.resolvePath('master-data/items.csv');
    if (existsSync(itemsFile)) processes = await startEstateProcesses(steps, { dataDir, items: loadItemMaster(itemsFile), company: 'Loom Hospital', sweepMs: 3_600_000 });
    const mappings = estateMappings({
      itemMaster: () => loadItemMaster(itemsFile),
      tradingPartners: () => loadTradingPartners(loaded.resolvePath('master-data/trading-partners.json')),
      company: 'Loom Hospital',
    });
    engine = new Engine({ store, steps, mappings, ...codecBindings });
    const channel = loaded.config.channels.find((c) => c.name === test.channel);
    if (!channel) throw new LoomError('test.channel.unknown', `${test.file}: channel "${test.channel}" is not in the config`, { location: test.file, hint: `channels: ${loaded.config.channels.map((c) => c.name).join(', ')}` });
    const capture = Object.fromEntries(Object.keys(connectorKinds).map((kind) => [kind, {
      kind, schema: connectorKinds[kind].schema, outbound: () => new CapturingOutbound(captured, ''),
    } as ConnectorKind<unknown>]));
    // Interface tests capture every destination already: a shadow run adds nothing to them.
    const built = buildChannel({ ...channel, shadow: undefined }, capture, { logger: silent, clock: systemClock, resolvePath: loaded.resolvePath });
    const definition: ChannelDefinition = { ...built.definition, destinations: built.definition.destinations.map((d) => ({ ...d, connector: new CapturingOutbound(captured, d.name), retry: { maxAttempts: 1 } })) };
    engine.applyChannels([definition]);
    await engine.start();
    const receipt = await engine.receive({ channel: test.channel, payload: test.payload });
    const final = await settle(engine, test.channel, timeoutMs, () => [...captured.values()].reduce((a, l) => a + l.length, 0));
    return compare(test, receipt.outcome === 'rejected' ? 'rejected' : final.status, [...receipt.errors.map((e) => e.code), ...final.errors], captured);
  } catch (err) {
    const e = toLoomError(err);
    return { test, ok: false, mismatches: [{ where: 'run', expected: 'the test to run', actual: `${e.code}: ${e.message}` }] };
  } finally {
    await engine?.stop({ closeStore: true }).catch(() => undefined);
    if (!engine) await store.close?.().catch(() => undefined);
    await processes?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Wait until every message of the channel (root and split children) is final and deliveries are done. */
async function settle(engine: Engine, channel: string, timeoutMs: number, deliveries: () => number): Promise<{ status: string; errors: string[] }> {
  const deadline = Date.now() + timeoutMs;
  // Outbox rows not yet claimed are not "pending" in the tally: require the captured count to hold for a few polls too.
  let last = -1;
  let stable = 0;
  for (;;) {
    const now = deliveries();
    stable = now === last ? stable + 1 : 0;
    last = now;
    const page = await engine.store.search({ channel, limit: 200 });
    const pending = page.items.some((m) => m.status === 'received' || m.status === 'processing');
    const status = await engine.channelStatus();
    const outbox = status.find((s) => s.name === channel)?.destinations.some((d) => d.pending > 0) ?? false;
    if (!pending && !outbox && stable >= 5) {
      const failed = page.items.filter((m) => m.status === 'failed' || m.status === 'rejected');
      const errors = failed.flatMap((m) => (m.error ? [m.error] : []));
      return { status: failed.length > 0 ? failed[0].status : 'processed', errors };
    }
    if (Date.now() > deadline) return { status: 'timeout', errors: [] };
    await new Promise((r) => setTimeout(r, 20));
  }
}

function compare(test: InterfaceTest, status: string, errors: string[], captured: Map<string, Uint8Array[]>): TestResult {
  const mismatches: Mismatch[] = [];
  if (status !== test.status) mismatches.push({ where: 'status', expected: test.status, actual: status });
  if (test.error && !errors.some((e) => e.includes(test.error ?? ''))) mismatches.push({ where: 'error', expected: test.error, actual: errors.join(', ') || '(none)' });
  const destinations = new Set([...Object.keys(test.expect), ...captured.keys()]);
  for (const d of destinations) {
    const want = test.expect[d] ?? [];
    const got = captured.get(d) ?? [];
    if (want.length !== got.length) mismatches.push({ where: `${d}`, expected: `${want.length} message(s)`, actual: `${got.length} message(s)` });
    // Order-insensitive: each expected message takes the first unused delivery it matches; when none
    // matches, the closest one (fewest mismatches) is shown as the diff.
    const used = new Set<number>();
    want.forEach((w, i) => {
      let best: { index: number; diff: Mismatch[] } | undefined;
      for (let j = 0; j < got.length; j++) {
        if (used.has(j)) continue;
        const diff = safeCheck(got[j], w);
        if (!best || diff.length < best.diff.length) best = { index: j, diff };
        if (diff.length === 0) break;
      }
      if (!best) return;
      used.add(best.index);
      for (const m of best.diff) mismatches.push({ ...m, where: `${d}[${i}] ${m.where}` });
    });
  }
  return { test, ok: mismatches.length === 0, mismatches };
}

function safeCheck(payload: Uint8Array, expected: Parameters<typeof checkMessage>[1]): Mismatch[] {
  try {
    return checkMessage(payload, expected);
  } catch (err) {
    const e = toLoomError(err);
    return [{ where: 'payload', expected: 'a payload the checks can read', actual: `${e.code}: ${e.message}` }];
  }
}
