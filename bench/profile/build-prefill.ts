// Build (or reuse) the cached prefilled store: `node --import tsx bench/profile/build-prefill.ts [count]`
import { rmSync } from 'node:fs';
import { prefilledStoreDir } from '../support/prefill.js';

const count = Number(process.argv[2] ?? 1_000_000);
const t0 = performance.now();
const dir = await prefilledStoreDir(count, 'adt');
console.log(`${count} ready in ${((performance.now() - t0) / 1000).toFixed(0)} s (copy at ${dir})`);
rmSync(dir, { recursive: true, force: true });
