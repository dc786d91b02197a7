// Loom CPU per message through the real `loom start` (child process, like bench/e2e-latency), MLLP in
// → HTTP destination, closed loop 8 connections × 4 in flight; optionally with a V8 CPU profile.
//   node --import tsx bench/profile/loom-start.ts [--messages=4000] [--reps=3] [--prof=/tmp/prof-loom]
//   then: node --import tsx bench/profile/summarize.ts /tmp/prof-loom/*.cpuprofile
import { chaosDir, startLoomChild } from '../../test/chaos/support/loom-process.js';
import { adtMessage, mllpToHttpConfig, PipelinedMllp, processCpuSeconds, timingReceiver } from '../support/mllp-load.js';

const arg = (name: string, def: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const messages = Number(arg('messages', '4000'));
const reps = Number(arg('reps', '3'));
const prof = arg('prof', '');

const receiver = await timingReceiver();
const dir = chaosDir('prof-loom', mllpToHttpConfig(receiver.url));
// --cpu-prof must be on node's command line (NODE_OPTIONS refuses it)
const loom = await startLoomChild(dir.configFile, prof ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${prof}`] } : {});
const mllpUrl = loom.inbound.get('adt-in') ?? '';
const { hostname, port } = new URL(mllpUrl.replace('mllp:', 'http:'));
const conns = await Promise.all(Array.from({ length: 8 }, () => PipelinedMllp.open(hostname, Number(port))));
let seq = 0;

async function run(n: number): Promise<number> {
  const ids: string[] = [];
  const cpu0 = processCpuSeconds(loom.child.pid ?? 0);
  let left = n;
  await Promise.all(conns.flatMap((c) => Array.from({ length: 4 }, async () => {
    while (left-- > 0) {
      const id = `P${seq++}`;
      ids.push(id);
      await c.send(adtMessage(id));
    }
  })));
  const deadline = performance.now() + 120_000;
  while (ids.some((id) => !receiver.arrivals.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300)); // let the idle process settle before reading its CPU (clock ticks are 10 ms)
  return ((processCpuSeconds(loom.child.pid ?? 0) - cpu0) * 1000) / n;
}

await run(1000); // warm-up
const results: number[] = [];
for (let r = 0; r < reps; r++) {
  results.push(await run(messages));
  console.log(`rep ${r}: ${results[r]!.toFixed(3)} Loom CPU-ms/msg (MLLP in, HTTP out, loom start)`);
}
console.log(`median ${[...results].sort((a, b) => a - b)[Math.floor(reps / 2)]!.toFixed(3)} CPU-ms/msg`);
for (const c of conns) c.close();
await loom.kill('SIGTERM');
await receiver.close();
dir.cleanup();
