// Loom during a downstream outage: `loom start` (child) takes HTTP posts from 4 senders while its
// only destination refuses connections; every 10 s prints Loom's CPU (share of a core, CPU-ms per
// message received), RSS and V8 heap, to see whether an outage costs CPU or memory per backlog row.
//   node --import tsx bench/profile/outage.ts [seconds=120]      (PROF=/tmp/dir adds a V8 CPU profile)
//   then: node --import tsx bench/profile/summarize.ts /tmp/dir/*.cpuprofile
import { chaosDir, startLoomChild } from '../../test/chaos/support/loom-process.js';
import { outageConfig } from '../../test/chaos/support/outage-config.js';
import { processCpuSeconds } from '../support/mllp-load.js';
const seconds = Number(process.argv[2] ?? 120);
// port 9 (discard) is closed here: every delivery is refused, as when the ERP is down
const dir = chaosDir('outage-profile', outageConfig('http://127.0.0.1:9'));
const loom = await startLoomChild(dir.configFile, process.env.PROF ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF}`] } : {});
const metric = (t: string, n: string) => Number(t.split('\n').find((l) => l.startsWith(n + ' '))?.split(' ')[1] ?? NaN);
let sent = 0; const stop = { now: false };
const load = Promise.all(Array.from({ length: 4 }, async (_, w) => { for (let n = 0; !stop.now; n++) { const r = await fetch(`${loom.url}/api/v1/channels/consumption/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `O${w}x${n}Z` }); await r.arrayBuffer(); sent++; await new Promise((r) => setTimeout(r, 10)); } }));
const t0 = Date.now();
let cpuPrev = processCpuSeconds(loom.child.pid!);
let sentPrev = 0;
while (Date.now() - t0 < seconds * 1000) {
  await new Promise((r) => setTimeout(r, 10_000));
  const cpuNow = processCpuSeconds(loom.child.pid!);
  console.log(`  loom CPU ${((cpuNow - cpuPrev) / 10 * 100).toFixed(0)} % of a core, ${(((cpuNow - cpuPrev) * 1000) / Math.max(1, sent - sentPrev)).toFixed(2)} CPU-ms per message received`);
  cpuPrev = cpuNow; sentPrev = sent;
  const m = await (await fetch(`${loom.url}/metrics`)).text();
  console.log(`${Math.round((Date.now() - t0) / 1000)}s sent ${sent} rss ${(metric(m, 'process_resident_memory_bytes') / 2 ** 20).toFixed(0)} MB heapUsed ${(metric(m, 'nodejs_heap_size_used_bytes') / 2 ** 20).toFixed(0)} MB heapTotal ${(metric(m, 'nodejs_heap_size_total_bytes') / 2 ** 20).toFixed(0)} external ${(metric(m, 'nodejs_external_memory_bytes') / 2 ** 20).toFixed(0)} MB`);
}
stop.now = true; await load;
await loom.kill('SIGTERM'); dir.cleanup();
