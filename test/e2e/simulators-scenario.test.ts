import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listenHttp, readJson, sendJson } from '../../src/simulators/http.js';
import { generateDay, INJECTED_KINDS, runScenarioDay, ScenarioClock, type ConsumptionEvent, type InjectedKind, type ScenarioRun } from '../../src/simulators/index.js';

let run: ScenarioRun | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { await run?.stop(); run = undefined; for (const c of cleanups.splice(0)) await c(); });

describe('scenario day', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = generateDay({ seed: 7 });
    const b = generateDay({ seed: 7 });
    const c = generateDay({ seed: 8 });
    expect(b.timeline).toEqual(a.timeline);
    expect(b.expected).toEqual(a.expected);
    expect(c.timeline).not.toEqual(a.timeline);
    expect(c.expected.implants.map((i) => i.serial)).not.toEqual(a.expected.implants.map((i) => i.serial));
    // time order holds
    expect(a.timeline.map((s) => s.at)).toEqual([...a.timeline.map((s) => s.at)].sort());
    // both UDI forms and both HL7 carriers occur in a day's worth of seeds
    const days = [1, 2, 3, 4, 5].map((seed) => generateDay({ seed }));
    const implants = days.flatMap((d) => d.cases.flatMap((k) => k.implants));
    expect(new Set(implants.map((i) => i.form))).toEqual(new Set(['GS1', 'HIBCC']));
    expect(new Set(implants.map((i) => i.carrier))).toEqual(new Set(['PRT', 'OBX']));
    expect(days.some((d) => d.expected.dischargeCancellations > 0)).toBe(true);
  });

  it('injects bad data at about the configured rate, every piece tagged', () => {
    let base = 0;
    const counts: Record<string, number> = {};
    for (let seed = 1; seed <= 40; seed++) {
      const d = generateDay({ seed, injectRate: 0.03 });
      base += d.baseSteps;
      for (const i of d.injected) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
      const tagged = d.timeline.filter((s) => s.injected !== undefined).length;
      // a late event is moved, the others are added beside the clean data
      expect(tagged).toBe(d.injected.length);
      expect(d.timeline.length).toBe(d.baseSteps + d.injected.filter((i) => i.kind !== 'late-event' && i.kind !== 'price-off-contract').length);
    }
    const total = Object.values(counts).reduce((s, n) => s + n, 0);
    expect(total / base).toBeGreaterThan(0.02);
    expect(total / base).toBeLessThan(0.04);
    expect(Object.keys(counts).sort()).toEqual([...INJECTED_KINDS].sort());
    expect(generateDay({ seed: 1, injectRate: 0 }).injected).toEqual([]);
  });

  it('the scenario clock runs at the configured speed', async () => {
    const clock = new ScenarioClock({ start: '2026-03-02T06:00:00Z', speed: 36_000 });
    const t0 = Date.now();
    await clock.waitUntil('2026-03-02T07:00:00Z'); // one simulated hour = 100 real ms
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse('2026-03-02T07:00:00Z'));
  });

  it('runs a whole day through all simulators and the estate ends where the expected totals say', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loom-scenario-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const hooked: ConsumptionEvent[] = [];
    const hook = await listenHttp(async (req, res) => { hooked.push((await readJson(req)) as ConsumptionEvent); sendJson(res, 202, {}); });
    cleanups.push(hook.close);
    run = await runScenarioDay({ seed: 42, speed: Infinity, injectRate: 0.1, workDir: dir, replenishment: 'simulated', targets: { webhooks: [hook.url] } });
    const { day, expected } = run;
    const hl7Steps = day.timeline.filter((s) => s.kind === 'hl7');
    const ehr = run.ehr.stats();
    expect(ehr.sent).toBe(hl7Steps.length);
    expect(ehr.acks.AR ?? 0).toBe(expected.exceptions['malformed-hl7']);
    expect(ehr.acks.AA).toBe(hl7Steps.length - expected.exceptions['malformed-hl7']);
    expect(hooked).toHaveLength(day.timeline.filter((s) => s.kind === 'consumption').length);
    // stock after consumption and the simulated replenishment loop equals the expected stock
    expect(run.inventory.stock()).toEqual(expected.stock);
    expect(run.procurement.state().purchaseOrders).toHaveLength(expected.replenishment.purchaseOrders);
    // every injection shows up in some simulator's own log with its kind
    const byKind = (kind: InjectedKind) => run!.injectedLog().filter((e) => e.injected === kind).length;
    for (const kind of INJECTED_KINDS) expect(byKind(kind), kind).toBe(expected.exceptions[kind]);
    expect(day.injected.length).toBeGreaterThan(0);
    const procs = (await (await fetch(`${run.ehr.url}/fhir/R4/Procedure`)).json()) as { total: number };
    expect(procs.total).toBe(day.cases.length);
    const devices = (await (await fetch(`${run.ehr.url}/fhir/R4/Device`)).json()) as { total: number };
    expect(devices.total).toBe(expected.implants.length);
    expect(expected.costPostings.count).toBe(new Set(day.timeline.flatMap((s) => (s.kind === 'consumption' && s.injected !== 'unknown-gtin' ? [s.event.eventId] : []))).size);
  });

  it('paces a day on the scenario clock: real time = simulated span / speed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loom-scenario-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const t0 = Date.now();
    run = await runScenarioDay({ seed: 5, cases: 1, speed: 43_200, injectRate: 0, workDir: dir });
    const elapsed = Date.now() - t0;
    const lastAt = Date.parse(run.day.timeline[run.day.timeline.length - 1].at);
    const simulated = lastAt - Date.parse(`${run.day.date}T06:00:00Z`);
    expect(elapsed).toBeGreaterThanOrEqual(simulated / 43_200 - 50);
    expect(elapsed).toBeLessThan(simulated / 43_200 + 5000);
    const sent = run.ehr.stats().log.filter((e) => e.event === 'sent').map((e) => Date.parse(e.at));
    expect(sent.length).toBe(run.day.timeline.filter((s) => s.kind === 'hl7').length);
    // the messages are spread over the run as their simulated times are, not sent in one burst
    const hl7At = run.day.timeline.filter((s) => s.kind === 'hl7').map((s) => Date.parse(s.at));
    const span = (hl7At[hl7At.length - 1] - hl7At[0]) / 43_200;
    expect(span).toBeGreaterThan(300);
    expect(sent[sent.length - 1] - sent[0]).toBeGreaterThanOrEqual(span - 50);
  });
});
