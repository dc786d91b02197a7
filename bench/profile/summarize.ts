// Aggregate V8 .cpuprofile files (node --cpu-prof) by function + file: self time and share, top N.
//   node --import tsx bench/profile/summarize.ts [--top=30] [--by=file] a.cpuprofile [b.cpuprofile ...]
//   --inclusive=A,B: inclusive time (self + callees) of functions named A, B (no double count on recursion)
//   --under=NAME: the self-time table restricted to samples with NAME on the stack
//   --callers=NAME: instead, the call stacks (3 frames up) that spend self time in functions named NAME
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 30);
const byFile = process.argv.includes('--by=file');
const callersOf = process.argv.find((a) => a.startsWith('--callers='))?.slice(10);
const inclusive = process.argv.find((a) => a.startsWith('--inclusive='))?.slice(12).split(',');
const incl = new Map<string, number>();
const under = process.argv.find((a) => a.startsWith('--under='))?.slice(8);
const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const self = new Map<string, number>();
let total = 0;
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frame = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
  p.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const dt = p.timeDeltas[i] ?? 0;
    const url = n.callFrame.url.replace(/^file:\/\/.*?\/(src|bench|node_modules)\//, '$1/');
    if (inclusive) {
      const seen = new Set<string>();
      for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
        const name = byId.get(id)!.callFrame.functionName;
        if (inclusive.includes(name) && !seen.has(name)) (seen.add(name), incl.set(name, (incl.get(name) ?? 0) + dt));
      }
    }
    if (under !== undefined) {
      let found = false;
      for (let id: number | undefined = n.id; id !== undefined && !found; id = parent.get(id)) found = byId.get(id)!.callFrame.functionName === under;
      if (!found) return;
    }
    if (callersOf !== undefined) {
      if (n.callFrame.functionName !== callersOf) return;
      const stack: string[] = [];
      for (let id = parent.get(n.id), k = 0; id !== undefined && k < 3; id = parent.get(id), k++) stack.push(frame(byId.get(id)!));
      const key = stack.join(' < ');
      self.set(key, (self.get(key) ?? 0) + dt);
      total += dt;
      return;
    }
    const key = byFile ? (url || n.callFrame.functionName) : `${n.callFrame.functionName || '(anonymous)'}  ${url}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
}
if (inclusive) for (const name of inclusive) console.log(`inclusive ${name}: ${((incl.get(name) ?? 0) / 1000).toFixed(1)} ms`);
const idle = ['(idle)', '(program)', '(garbage collector)'];
const busy = total - [...self].filter(([k]) => idle.some((i) => k.startsWith(i))).reduce((s, [, v]) => s + v, 0);
console.log(`total ${(total / 1000).toFixed(0)} ms sampled, busy (not idle/program/gc) ${(busy / 1000).toFixed(0)} ms`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(v / 1000).toFixed(1).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
}
