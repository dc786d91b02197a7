// RSS under sustained load: `loom start` in a child process takes MLLP traffic (closed loop,
// 16 connections × 4 in flight) for N seconds while a slow-ish HTTP destination keeps an outbox
// backlog; RSS sampled from /proc every 250 ms. Goal: peak < 300 MB.
// `npm run bench -- rss [seconds]`
import os from 'node:os';
import { chaosDir, startLoomChild } from '../test/chaos/support/loom-process.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';
import { adtMessage, PipelinedMllp, processCpuSeconds, quantile, timingReceiver } from './support/mllp-load.js';

const seconds = Number(process.argv[3] ?? 60);
const GOAL = 300 * 2 ** 20;
const machine = machineInfo();
console.log(`rss on ${describeMachine(machine)}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const receiver = await timingReceiver();
const dir = chaosDir('bench-rss', `version: 1
server: { port: 0 }
store: { dataDir: ./data }
logging: { level: error }
channels:
  - name: adt-in
    source: ehr
    inbound: { kind: mllp, port: 0 }
    contentType: hl7v2
    steps: [{ use: hl7-keys }]
    destinations:
      - { name: erp, kind: http, url: ${receiver.url}/adt }
`);
const loom = await startLoomChild(dir.configFile);
const pid = loom.child.pid ?? 0;
const mib = (b: number) => b / 2 ** 20;
const idle = loom.rssBytes() ?? 0;
const { hostname, port } = new URL((loom.inbound.get('adt-in') ?? '').replace('mllp:', 'http:'));
const conns = await Promise.all(Array.from({ length: 16 }, () => PipelinedMllp.open(hostname, Number(port))));
const samples: number[] = [];
const sampler = setInterval(() => samples.push(loom.rssBytes() ?? 0), 250);
const cpu0 = processCpuSeconds(pid);
const end = performance.now() + seconds * 1000;
let sent = 0;
let progress = performance.now();
await Promise.all(conns.flatMap((c) => Array.from({ length: 4 }, async () => {
  while (performance.now() < end) {
    await c.send(adtMessage(`R${sent++}`));
    if (performance.now() - progress > 10_000) {
      progress = performance.now();
      console.log(`  ${sent} sent, RSS ${mib(samples.at(-1) ?? 0).toFixed(0)} MiB`);
    }
  }
})));
const cpu = processCpuSeconds(pid) - cpu0;
const deadline = performance.now() + 120_000;
while (receiver.arrivals.size < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
clearInterval(sampler);
for (const c of conns) c.close();
await loom.kill('SIGTERM');
await receiver.close();
dir.cleanup();

const peak = Math.max(...samples);
const table = [
  `\`loom start\` in a child, ${seconds} s of closed-loop MLLP load (16 connections × 4 in flight), HTTP destination in the bench process; ${sent.toLocaleString('en')} messages (${(sent / seconds).toFixed(0)}/s on this shared machine, ${((cpu * 1000) / sent).toFixed(3)} Loom CPU-ms each), ${receiver.arrivals.size.toLocaleString('en')} delivered. RSS from /proc/<pid>/status every 250 ms.`,
  '',
  '| RSS idle after start | p50 under load | peak | last sample | peak ÷ idle | peak ÷ goal (300 MB) | goal |',
  '|---|---|---|---|---|---|---|',
  `| ${mib(idle).toFixed(0)} MiB | ${mib(quantile(samples, 0.5)).toFixed(0)} MiB | ${mib(peak).toFixed(0)} MiB | ${mib(samples.at(-1) ?? 0).toFixed(0)} MiB | ${(peak / idle).toFixed(2)} | ${(peak / GOAL).toFixed(2)} | ${peak < GOAL ? 'met' : 'NOT met'} |`,
].join('\n');
console.log(`\n${table}`);
recordResult('rss', machine, table);
