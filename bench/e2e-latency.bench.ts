// End-to-end latency: MLLP in → journal → ACK → outbox → HTTP out, Loom (`loom start`) in a child
// process, sender and receiver in this one (one clock). Open-loop fixed rates of 100 and 1,000
// msg/s, then closed-loop max. p50/p99 of ACK and of end-to-end (send → arrival at the receiver),
// plus Loom's CPU-ms per message. `npm run bench -- e2e-latency [seconds-per-rate]`
import { chaosDir, startLoomChild } from '../test/chaos/support/loom-process.js';
import { adtMessage, mllpToHttpConfig, PipelinedMllp, processCpuSeconds, quantile, timingReceiver } from './support/mllp-load.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';

const seconds = Number(process.argv[3] ?? 10);
const CONNECTIONS = 8;
const machine = machineInfo();
console.log(`e2e-latency on ${describeMachine(machine)}; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const receiver = await timingReceiver();
const dir = chaosDir('bench-e2e', mllpToHttpConfig(receiver.url));
const loom = await startLoomChild(dir.configFile);
const { hostname, port } = new URL((loom.inbound.get('adt-in') ?? '').replace('mllp:', 'http:'));
const conns = await Promise.all(Array.from({ length: CONNECTIONS }, () => PipelinedMllp.open(hostname, Number(port))));

interface Row { label: string; offered: string; achieved: number; ackP50: number; ackP99: number; e2eP50: number; e2eP99: number; cpuMsPerMsg: number; sent: number }
let seq = 0;

async function measure(label: string, rate: number | 'max'): Promise<Row> {
  const sentAt = new Map<string, number>();
  const acks: number[] = [];
  const tag = `${label.replace(/\W/g, '')}-`;
  const cpu0 = processCpuSeconds(loom.child.pid ?? 0);
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const sendOne = (c: PipelinedMllp): Promise<void> => {
    const id = `${tag}${seq++}`;
    const at = performance.now();
    sentAt.set(id, at);
    return c.send(adtMessage(id)).then(() => void acks.push(performance.now() - at));
  };
  if (rate === 'max') {
    // closed loop: 4 in flight per connection
    await Promise.all(conns.flatMap((c) => Array.from({ length: 4 }, async () => {
      while (performance.now() < end) await sendOne(c);
    })));
  } else {
    // open loop: a tick every 10 ms sends what is due, so a slow answer does not slow the offer
    let sent = 0;
    let i = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        if (now >= end) return clearInterval(timer), resolve();
        const due = Math.floor(((now - t0) / 1000) * rate);
        for (; sent < due; sent++) void sendOne(conns[i++ % conns.length]);
      }, 10);
    });
    const deadline = performance.now() + 60_000;
    while (conns.some((c) => c.pending > 0) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }
  const sendWindow = (performance.now() - t0) / 1000;
  const deadline = performance.now() + 120_000;
  while ([...sentAt.keys()].some((id) => !receiver.arrivals.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const cpu = processCpuSeconds(loom.child.pid ?? 0) - cpu0;
  const e2e = [...sentAt].filter(([id]) => receiver.arrivals.has(id)).map(([id, at]) => (receiver.arrivals.get(id) as number) - at);
  return {
    label,
    offered: rate === 'max' ? `max (${CONNECTIONS}×4 in flight)` : `${rate}/s`,
    achieved: Math.round(acks.length / sendWindow),
    ackP50: quantile(acks, 0.5),
    ackP99: quantile(acks, 0.99),
    e2eP50: quantile(e2e, 0.5),
    e2eP99: quantile(e2e, 0.99),
    cpuMsPerMsg: (cpu * 1000) / Math.max(1, acks.length),
    sent: sentAt.size,
  };
}

await measure('warm-up', 200); // JIT, SQLite page cache
const rows: Row[] = [];
for (const rate of [100, 1000, 'max'] as const) {
  const row = await measure(String(rate), rate);
  rows.push(row);
  console.log(`${row.offered.padEnd(24)} achieved ${row.achieved}/s  ack p50 ${row.ackP50.toFixed(1)} p99 ${row.ackP99.toFixed(1)} ms  e2e p50 ${row.e2eP50.toFixed(1)} p99 ${row.e2eP99.toFixed(1)} ms  Loom CPU ${row.cpuMsPerMsg.toFixed(3)} ms/msg`);
}
for (const c of conns) c.close();
await loom.kill('SIGTERM');
await receiver.close();
dir.cleanup();

const base = rows[0];
const f = (n: number) => n.toFixed(1);
const table = [
  `Loom as a child process (\`loom start\`), ${CONNECTIONS} MLLP connections, ${seconds} s per rate, HTTP destination in the bench process. Latencies in ms (wall clock, machine shared with other work); the last columns are ratios to the 100/s row of this run and Loom's own CPU per message.`,
  '',
  '| offered | achieved msg/s | ACK p50 | ACK p99 | e2e p50 | e2e p99 | e2e p99 ÷ 100/s row | Loom CPU ms/msg |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.offered} | ${r.achieved} | ${f(r.ackP50)} | ${f(r.ackP99)} | ${f(r.e2eP50)} | ${f(r.e2eP99)} | ${(r.e2eP99 / base.e2eP99).toFixed(2)} | ${r.cpuMsPerMsg.toFixed(3)} |`),
].join('\n');
console.log(`\n${table}`);
recordResult('e2e-latency', machine, table);
