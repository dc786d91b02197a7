// RSS under sustained load: `loom start` in a child process takes MLLP traffic (closed loop,
// 16 connections × 4 in flight) for N seconds while an HTTP destination keeps an outbox backlog;
// RSS sampled from /proc every 250 ms, V8 heap from Loom's /metrics every second. Goal: peak < 300 MB.
// Side by side in one run: node's default heap sizing, and the same with --max-old-space-size
// (V8 collects old garbage sooner instead of growing the heap; the live set is far below the cap).
// `npm run bench -- rss [seconds-per-setting]`
import os from 'node:os';
import { chaosDir, startLoomChild } from '../test/chaos/support/loom-process.js';
import { describeMachine, machineInfo, recordResult } from './support/machine.js';
import { adtMessage, PipelinedMllp, processCpuSeconds, quantile, timingReceiver } from './support/mllp-load.js';

const seconds = Number(process.argv[3] ?? 60);
const GOAL = 300 * 2 ** 20;
const CAPPED = ['--max-old-space-size=192'];
const machine = machineInfo();
console.log(`rss on ${describeMachine(machine)}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const mib = (b: number) => b / 2 ** 20;
const gauge = (text: string, name: string) => Number(/ (\S+)$/.exec(text.split('\n').find((l) => l.startsWith(`${name} `)) ?? '')?.[1] ?? 0);

interface Run {
  nodeArgs: string[];
  sent: number;
  delivered: number;
  cpuMsPerMsg: number;
  idle: number;
  samples: number[];
  heap: { total: number; used: number; external: number };
  backlogPeak: number;
}

async function run(nodeArgs: string[]): Promise<Run> {
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
  const loom = await startLoomChild(dir.configFile, { nodeArgs });
  const pid = loom.child.pid ?? 0;
  const idle = loom.rssBytes() ?? 0;
  const { hostname, port } = new URL((loom.inbound.get('adt-in') ?? '').replace('mllp:', 'http:'));
  const conns = await Promise.all(Array.from({ length: 16 }, () => PipelinedMllp.open(hostname, Number(port))));
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(loom.rssBytes() ?? 0), 250);
  // What the RSS is made of, from Loom's own /metrics: V8 heap (total, used) and external memory.
  const heap = { total: 0, used: 0, external: 0 };
  const heapSampler = setInterval(() => {
    void fetch(`${loom.url}/metrics`).then((r) => r.text()).then((t) => {
      heap.total = Math.max(heap.total, gauge(t, 'nodejs_heap_size_total_bytes'));
      heap.used = Math.max(heap.used, gauge(t, 'nodejs_heap_size_used_bytes'));
      heap.external = Math.max(heap.external, gauge(t, 'nodejs_external_memory_bytes'));
    }, () => undefined);
  }, 1000);
  const cpu0 = processCpuSeconds(pid);
  const end = performance.now() + seconds * 1000;
  let sent = 0;
  let backlogPeak = 0;
  let progress = performance.now();
  await Promise.all(conns.flatMap((c) => Array.from({ length: 4 }, async () => {
    while (performance.now() < end) {
      await c.send(adtMessage(`R${sent++}`));
      if (performance.now() - progress > 10_000) {
        progress = performance.now();
        backlogPeak = Math.max(backlogPeak, sent - receiver.arrivals.size);
        console.log(`  ${nodeArgs.join(' ') || 'default heap'}: ${sent} sent, ${sent - receiver.arrivals.size} not yet delivered, RSS ${mib(samples.at(-1) ?? 0).toFixed(0)} MiB`);
      }
    }
  })));
  const cpu = processCpuSeconds(pid) - cpu0;
  const deadline = performance.now() + 120_000;
  while (receiver.arrivals.size < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  clearInterval(sampler);
  clearInterval(heapSampler);
  for (const c of conns) c.close();
  await loom.kill('SIGTERM');
  const delivered = receiver.arrivals.size;
  await receiver.close();
  dir.cleanup();
  return { nodeArgs, sent, delivered, cpuMsPerMsg: (cpu * 1000) / sent, idle, samples, heap, backlogPeak };
}

const runs = [await run([]), await run(CAPPED)];
const row = (r: Run) => {
  const peak = Math.max(...r.samples);
  return `| ${r.nodeArgs.join(' ') || 'node defaults'} | ${r.sent.toLocaleString('en')} (${(r.sent / seconds).toFixed(0)}/s) | ${r.cpuMsPerMsg.toFixed(3)} | ${mib(r.idle).toFixed(0)} | ${mib(quantile(r.samples, 0.5)).toFixed(0)} | ${mib(peak).toFixed(0)} | ${mib(r.heap.total).toFixed(0)} / ${mib(r.heap.used).toFixed(0)} / ${mib(r.heap.external).toFixed(0)} | ${(peak / GOAL).toFixed(2)} | ${peak < GOAL ? 'met' : 'NOT met'} |`;
};
const table = [
  `\`loom start\` in a child, ${seconds} s of closed-loop MLLP load per setting (16 connections × 4 in flight, as fast as Loom answers), HTTP destination in the bench process (largest delivery backlog seen: ${runs.map((r) => r.backlogPeak.toLocaleString('en')).join(' / ')}; all delivered: ${runs.every((r) => r.delivered === r.sent)}). RSS from /proc/<pid>/status every 250 ms (MiB); V8 heap peaks from Loom's /metrics every second.`,
  '',
  '| Loom node flags | messages | Loom CPU ms/msg | RSS idle | RSS p50 | RSS peak | heap total / used / external peak | peak ÷ goal (300 MB) | goal |',
  '|---|---|---|---|---|---|---|---|---|',
  ...runs.map(row),
].join('\n');
console.log(`\n${table}`);
recordResult('rss', machine, table);
