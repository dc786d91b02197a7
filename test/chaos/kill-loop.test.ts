// kill -9 loop: the real `loom start` under MLLP + HTTP load, SIGKILLed at random instants and
// restarted on the same data dir. Every AA / 202 must reach the idempotent receiver exactly once.
// Runbooks exercised: docs/runbooks/node-lost.md, docs/runbooks/channel-stopped.md
import { afterAll, describe, expect, it } from 'vitest';
import { chaosDir, startLoomChild, type LoomChild } from './support/loom-process.js';
import { long, pick, report } from './support/mode.js';
import { startChaosReceiver, until, type ChaosReceiver } from './support/receiver.js';
import { MllpSender, ackCode, adt, parseAddress } from './support/senders.js';

const KILLS = pick(3, 20);
const MARKER = /[KH]\d+x\d+Z/g;

function config(receiverUrl: string): string {
  const destination = (path: string) => `
      - name: erp
        kind: http
        url: ${receiverUrl}/${path}
        retry: { maxAttempts: 1000, backoff: { base: 20ms, max: 250ms } }
        breaker: { failures: 1000, cooldown: 1s }`;
  return `version: 1
server: { port: 0 }
store: { dataDir: ./data }
logging: { level: warn }
channels:
  - name: adt-in
    source: ehr
    inbound: { kind: mllp, port: 0 }
    contentType: hl7v2
    destinations:${destination('adt')}
  - name: events-in
    source: inventory
    inbound: { kind: http }
    contentType: text
    destinations:${destination('events')}
`;
}

interface Tally { sent: number; acked: Set<string> }

/** MLLP load: `workers` connections, one message in flight each, until `stop`. */
async function mllpLoad(loom: LoomChild, round: number, tally: Tally, stop: { now: boolean }, workers = 4): Promise<void> {
  const address = loom.inbound.get('adt-in');
  if (!address) throw new Error(`no MLLP address in the banner:\n${loom.log()}`);
  const { host, port } = parseAddress(address);
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    const sender = new MllpSender(host, port);
    try {
      await sender.connect();
    } catch {
      return;
    }
    while (!stop.now) {
      const id = `K${round}x${next++}Z`;
      tally.sent++;
      try {
        if (ackCode(await sender.send(adt(id), 15_000)) === 'AA') tally.acked.add(id);
      } catch {
        break; // killed mid-exchange: not acknowledged, so not owed
      }
    }
    sender.close();
  }));
}

/** HTTP load: `workers` posters on the inbound HTTP channel; 202 means journaled. */
async function httpLoad(loom: LoomChild, round: number, tally: Tally, stop: { now: boolean }, workers = 4): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (!stop.now) {
      const id = `H${round}x${next++}Z`;
      tally.sent++;
      try {
        const res = await fetch(`${loom.url}/api/v1/channels/events-in/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: id });
        await res.arrayBuffer();
        if (res.status === 202) tally.acked.add(id);
      } catch {
        return;
      }
    }
  }));
}

/** marker → number of distinct effects (idempotency keys) carrying it. */
function effectsByMarker(receiver: ChaosReceiver): Map<string, number> {
  const counts = new Map<string, number>();
  for (const body of receiver.effects.values()) {
    for (const m of new Set(body.match(MARKER) ?? [])) counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return counts;
}

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe(`chaos: kill -9 loop (${KILLS} kills${long ? ', LONG' : ''})`, () => {
  it('delivers every ACKed/202 message exactly once across SIGKILLs at random instants', async () => {
    const receiver = await startChaosReceiver();
    cleanups.push(() => receiver.stop());
    const dir = chaosDir('kill', config(receiver.url));
    cleanups.push(() => dir.cleanup());
    const mllp: Tally = { sent: 0, acked: new Set() };
    const http: Tally = { sent: 0, acked: new Set() };
    const startedAt = Date.now();

    for (let round = 0; round < KILLS; round++) {
      const loom = await startLoomChild(dir.configFile);
      cleanups.push(() => loom.kill());
      const stop = { now: false };
      const before = mllp.acked.size + http.acked.size;
      const running = Promise.all([mllpLoad(loom, round, mllp, stop), httpLoad(loom, round, http, stop)]);
      await until(() => mllp.acked.size + http.acked.size >= before + 40, 30_000, `round ${round}: load acknowledged`);
      // random instant within the next ~600 ms: journal commits, ACK writes and deliveries all in flight
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 600)));
      await loom.kill('SIGKILL');
      stop.now = true;
      await running;
    }

    // final run: recover on the same data dir and drain the outbox
    const loom = await startLoomChild(dir.configFile);
    cleanups.push(() => loom.kill());
    const acked = [...mllp.acked, ...http.acked];
    await until(() => {
      const counts = effectsByMarker(receiver);
      return acked.every((id) => counts.has(id));
    }, 90_000, 'every acknowledged message delivered');
    await loom.kill('SIGTERM');

    const counts = effectsByMarker(receiver);
    const lost = acked.filter((id) => !counts.has(id));
    const duplicated = [...counts.entries()].filter(([, n]) => n > 1).map(([id]) => id);
    const redeliveries = [...receiver.hits.values()].reduce((s, n) => s + (n - 1), 0);
    report('kill -9 loop', {
      kills: KILLS,
      'sent (mllp + http)': `${mllp.sent + http.sent} (${mllp.sent} + ${http.sent})`,
      'acked (AA + 202)': `${acked.length} (${mllp.acked.size} + ${http.acked.size})`,
      'delivered (unique effects)': counts.size,
      lost: lost.length,
      'duplicated effects': duplicated.length,
      'redeliveries deduped by key': redeliveries,
      'seconds': Math.round((Date.now() - startedAt) / 1000),
    });
    expect(mllp.acked.size).toBeGreaterThan(0);
    expect(http.acked.size).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
  }, pick(120_000, 1_800_000));
});
