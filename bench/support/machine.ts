import { execSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The machine a benchmark ran on: every result names it, and ratios are only compared within one run. */
export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  commit: string;
  date: string;
  runId: string;
}

export function machineInfo(): MachineInfo {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout: keep 'unknown'
  }
  const date = new Date().toISOString();
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    commit,
    date,
    runId: `${date}-${process.pid}`,
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, commit ${m.commit}, ${m.date}`;
}

const resultsFile = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'RESULTS.md');

/**
 * Replace (or add) the section `## <title>` of bench/RESULTS.md with this run's table.
 * A section holds one run only, so no figure is ever compared with another run's.
 */
export function recordResult(title: string, machine: MachineInfo, markdownBody: string): void {
  const section = `## ${title}\n\nMachine: ${describeMachine(machine)}\n\n${markdownBody.trim()}\n`;
  if (!existsSync(resultsFile)) {
    writeFileSync(resultsFile, '# Benchmark results\n\nEach section is one run of `npm run bench -- <name>`; ratios are within that run only.\n\n');
  }
  const text = readFileSync(resultsFile, 'utf8');
  const start = text.indexOf(`## ${title}\n`);
  if (start === -1) {
    appendFileSync(resultsFile, `\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + 1);
  const end = next === -1 ? text.length : next + 1;
  writeFileSync(resultsFile, text.slice(0, start) + section + (next === -1 ? '' : '\n') + text.slice(end));
}
