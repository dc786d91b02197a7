// Slow consumers and many connections: 500 concurrent MLLP senders, slowloris senders that drip a
// frame byte by byte, and silent connections. Memory stays bounded, the idle and frame timeouts
// close the stalled ones, and a fresh sender is still served.
// Runbook exercised: docs/runbooks/channel-stopped.md
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { chaosDir, startLoomChild } from './support/loom-process.js';
import { pick, report } from './support/mode.js';
import { startChaosReceiver, until } from './support/receiver.js';
import { MllpSender, ackCode, adt, parseAddress } from './support/senders.js';

const CONNECTIONS = 500;
const SLOW = pick(100, 400);
const IDLE = pick(100, 400);
const RSS_BOUND = 300 * 2 ** 20;

function config(receiverUrl: string): string {
  return `version: 1
server: { port: 0 }
store: { dataDir: ./data }
logging: { level: error }
channels:
  - name: adt-in
    source: ehr
    inbound: { kind: mllp, port: 0, idleTimeoutMs: 3000, frameTimeoutMs: 2000, maxConnections: 2000 }
    contentType: hl7v2
    destinations:
      - { name: erp, kind: http, url: ${receiverUrl}/adt }
`;
}

/** Open a socket; resolves when connected, with a flag that flips when the server closes it. */
function openSocket(host: string, port: number): Promise<{ socket: net.Socket; closed: () => boolean; closedAt: () => number }> {
  return new Promise((resolve, reject) => {
    let closedAt = 0;
    const socket = net.connect({ host, port }, () => resolve({ socket, closed: () => closedAt > 0, closedAt: () => closedAt }));
    socket.on('error', () => undefined);
    socket.once('error', reject);
    socket.on('close', () => (closedAt = Date.now()));
    socket.on('end', () => socket.destroy());
  });
}

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('chaos: many connections and slowloris', () => {
  it(`serves ${CONNECTIONS} concurrent senders, closes stalled ones on timeouts, RSS bounded`, async () => {
    const receiver = await startChaosReceiver();
    cleanups.push(() => receiver.stop());
    const dir = chaosDir('conns', config(receiver.url));
    cleanups.push(() => dir.cleanup());
    const loom = await startLoomChild(dir.configFile);
    cleanups.push(() => loom.kill());
    const { host, port } = parseAddress(loom.inbound.get('adt-in') ?? '');
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, loom.rssBytes() ?? 0)), 100);
    cleanups.push(() => clearInterval(sampler));

    // stalled peers first, so they sit there while the real load runs
    const slow = await Promise.all(Array.from({ length: SLOW }, () => openSocket(host, port)));
    const idle = await Promise.all(Array.from({ length: IDLE }, () => openSocket(host, port)));
    const slowStart = Date.now();
    const partial = Buffer.from(`\x0b${adt('SLOW')}`);
    let drip = 0;
    const dripper = setInterval(() => {
      // one byte per 400 ms per connection: each byte resets an idle timer, only the frame timer catches it
      for (const s of slow) if (!s.closed() && drip < partial.length) s.socket.write(partial.subarray(drip, drip + 1));
      drip++;
    }, 400);
    cleanups.push(() => clearInterval(dripper));

    const t0 = Date.now();
    const senders = Array.from({ length: CONNECTIONS }, () => new MllpSender(host, port));
    await Promise.all(senders.map((s) => s.connect()));
    const codes = await Promise.all(senders.map((s, i) => s.send(adt(`C${i}Z`), 60_000).then(ackCode, (e: Error) => `error: ${e.message}`)));
    const loadMs = Date.now() - t0;
    for (const s of senders) s.close();
    const aa = codes.filter((c) => c === 'AA').length;

    await until(() => slow.every((s) => s.closed()), 20_000, 'slowloris connections closed by the frame timeout');
    await until(() => idle.every((s) => s.closed()), 20_000, 'silent connections closed by the idle timeout');
    clearInterval(dripper);
    const slowLife = Math.max(...slow.map((s) => s.closedAt() - slowStart));
    const idleLife = Math.max(...idle.map((s) => s.closedAt() - slowStart));

    const fresh = new MllpSender(host, port);
    await fresh.connect();
    const after = ackCode(await fresh.send(adt('AFTER')));
    fresh.close();
    await until(() => receiver.effects.size >= aa + 1, 30_000, 'deliveries of everything acknowledged');
    clearInterval(sampler);
    await loom.kill('SIGTERM');

    report('many connections + slowloris', {
      'concurrent senders': CONNECTIONS,
      'AA answers': aa,
      'seconds for the 500 round trips': (loadMs / 1000).toFixed(1),
      'slowloris / silent sockets': `${SLOW} / ${IDLE}`,
      'last slowloris closed after s': (slowLife / 1000).toFixed(1),
      'last silent closed after s': (idleLife / 1000).toFixed(1),
      'peak RSS MB': Math.round(peakRss / 2 ** 20),
      'fresh sender after': after ?? 'none',
      'deliveries': receiver.effects.size,
    });
    expect(aa).toBe(CONNECTIONS);
    expect(after).toBe('AA');
    expect(peakRss).toBeGreaterThan(0);
    expect(peakRss).toBeLessThan(RSS_BOUND);
  }, pick(90_000, 300_000));
});
