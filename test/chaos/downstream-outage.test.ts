// Downstream outage: the ERP (idempotent receiver) goes down under load. The breaker opens, the
// backlog grows in the durable outbox, RSS stays bounded, and it all drains once the ERP is back.
// Runbook exercised: docs/runbooks/erp-down.md
import { afterAll, describe, expect, it } from 'vitest';
import { chaosDir, startLoomChild } from './support/loom-process.js';
import { long, pick, report } from './support/mode.js';
import { outageConfig } from './support/outage-config.js';
import { startChaosReceiver, until } from './support/receiver.js';

const OUTAGE_MS = pick(6_000, 600_000);
const RSS_BOUND = 300 * 2 ** 20;

/** Sum of a metric's samples whose label set contains all of `labels`. */
function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let found: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    found = (found ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return found;
}

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe(`chaos: downstream outage (${OUTAGE_MS / 1000} s${long ? ', LONG' : ''})`, () => {
  it('opens the breaker, keeps the backlog durable with bounded RSS, drains with 0 lost', async () => {
    const receiver = await startChaosReceiver();
    cleanups.push(() => receiver.stop());
    const dir = chaosDir('outage', outageConfig(receiver.url));
    cleanups.push(() => dir.cleanup());
    const loom = await startLoomChild(dir.configFile);
    cleanups.push(() => loom.kill());
    const acked = new Set<string>();
    let sent = 0;
    const stop = { now: false };
    const load = Promise.all(Array.from({ length: 4 }, async (_, w) => {
      for (let n = 0; !stop.now; n++) {
        const id = `O${w}x${n}Z`;
        sent++;
        const res = await fetch(`${loom.url}/api/v1/channels/consumption/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: id });
        await res.arrayBuffer();
        if (res.status === 202) acked.add(id);
        // a steady stream (~100/s per worker at most), not a flood: the outage is what is measured
        await new Promise((r) => setTimeout(r, 10));
      }
    }));
    await until(() => receiver.effects.size >= 50, 20_000, 'deliveries before the outage');

    await receiver.stop();
    const downAt = Date.now();
    const ackedAtDown = acked.size;
    let breakerSeenOpen = false;
    let peakRss = 0;
    let peakBacklog = 0;
    while (Date.now() - downAt < OUTAGE_MS) {
      const metrics = await (await fetch(`${loom.url}/metrics`)).text();
      if (metricValue(metrics, 'loom_delivery_breaker_open', { destination: 'erp' }) === 1) breakerSeenOpen = true;
      peakRss = Math.max(peakRss, loom.rssBytes() ?? 0);
      peakBacklog = Math.max(peakBacklog, acked.size - receiver.effects.size);
      await new Promise((r) => setTimeout(r, 250));
    }
    const backlogAtReturn = acked.size - receiver.effects.size;
    await receiver.start();
    const upAt = Date.now();
    stop.now = true;
    await load;
    await until(() => {
      const delivered = new Set(receiver.effects.values());
      return [...acked].every((id) => delivered.has(id));
    }, pick(120_000, 900_000), 'the backlog to drain');
    const drainMs = Date.now() - upAt;
    const metrics = await (await fetch(`${loom.url}/metrics`)).text();
    const breakerAfter = metricValue(metrics, 'loom_delivery_breaker_open', { destination: 'erp' });
    await loom.kill('SIGTERM');

    const bodies = [...receiver.effects.values()];
    const delivered = new Set(bodies);
    const lost = [...acked].filter((id) => !delivered.has(id));
    const duplicated = bodies.length - new Set(bodies).size;
    report('downstream outage', {
      'outage seconds': OUTAGE_MS / 1000,
      sent,
      'acked (202)': acked.size,
      'acked during outage': acked.size - ackedAtDown,
      'backlog at return': backlogAtReturn,
      'peak backlog': peakBacklog,
      'breaker seen open': String(breakerSeenOpen),
      'peak RSS MB': Math.round(peakRss / 2 ** 20),
      'drain seconds': (drainMs / 1000).toFixed(1),
      lost: lost.length,
      'duplicated effects': duplicated,
    });
    expect(acked.size - ackedAtDown).toBeGreaterThan(0); // intake kept answering during the outage
    expect(backlogAtReturn).toBeGreaterThan(0);
    expect(breakerSeenOpen).toBe(true);
    expect(breakerAfter).toBe(0);
    expect(peakRss).toBeLessThan(RSS_BOUND);
    expect(lost).toEqual([]);
    expect(duplicated).toBe(0);
  }, pick(120_000, 1_200_000));
});
