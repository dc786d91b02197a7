// Aggregate V8 .cpuprofile files (node --cpu-prof) by function + file: self time and share, top N.
//   node --import tsx bench/profile/summarize.ts [--top=30] [--by=file] a.cpuprofile [b.cpuprofile ...]
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 30);
const byFile = process.argv.includes('--by=file');
const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const self = new Map<string, number>();
let total = 0;
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  p.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const dt = p.timeDeltas[i] ?? 0;
    const url = n.callFrame.url.replace(/^file:\/\/.*?\/(src|bench|node_modules)\//, '$1/');
    const key = byFile ? (url || n.callFrame.functionName) : `${n.callFrame.functionName || '(anonymous)'}  ${url}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
}
const idle = ['(idle)', '(program)', '(garbage collector)'];
const busy = total - [...self].filter(([k]) => idle.some((i) => k.startsWith(i))).reduce((s, [, v]) => s + v, 0);
console.log(`total ${(total / 1000).toFixed(0)} ms sampled, busy (not idle/program/gc) ${(busy / 1000).toFixed(0)} ms`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(v / 1000).toFixed(1).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
}
