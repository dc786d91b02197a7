// Runs the real `loom start` (the CLI, through tsx) as a child process with a temp config, so
// chaos tests can SIGKILL it at any instant and restart it on the same data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

export interface LoomChild {
  child: ChildProcess;
  /** `http://127.0.0.1:N` of the API. */
  url: string;
  /** Inbound address per channel (`mllp://127.0.0.1:N`, `http://...`). */
  inbound: Map<string, string>;
  /** Everything the child wrote to stderr (its banner and logs). */
  log: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  rssBytes(): number | undefined;
}

export interface ChaosDir {
  dir: string;
  dataDir: string;
  configFile: string;
  cleanup(): void;
}

/** A temp folder with `data/` and the config text written to `loom.config.yaml`. */
export function chaosDir(prefix: string, configYaml: string): ChaosDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), `loom-chaos-${prefix}-`));
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const configFile = path.join(dir, 'loom.config.yaml');
  writeFileSync(configFile, configYaml);
  return { dir, dataDir, configFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Start `loom start --config FILE` in a child and wait for its banner.
 *
 * @example const loom = await startLoomChild(dir.configFile); await loom.kill('SIGKILL');
 */
export async function startLoomChild(
  configFile: string,
  /** `nodeArgs`: flags for node itself, e.g. `--cpu-prof` (which NODE_OPTIONS refuses). */
  opts: { mllpPort?: number; port?: number; timeoutMs?: number; env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<LoomChild> {
  const args = [...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts'), 'start', '--config', configFile];
  if (opts.port !== undefined) args.push('--port', String(opts.port));
  if (opts.mllpPort !== undefined) args.push('--mllp-port', String(opts.mllpPort));
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let stderr = '';
  const inbound = new Map<string, string>();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`loom start did not come up within ${opts.timeoutMs ?? 45_000} ms:\n${stderr.slice(-2000)}`)), opts.timeoutMs ?? 45_000);
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
      const api = /API\s+(http:\/\/[^/\s]+)\/api\/v1/.exec(stderr);
      if (api && /\n\s+data\s+/.test(stderr)) {
        for (const m of stderr.matchAll(/^\s{2}(\S+)\s+(mllp|http)\s+(\S+)$/gm)) inbound.set(m[1], m[3]);
        clearTimeout(timer);
        resolve(api[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`loom start exited early (${code ?? signal}):\n${stderr.slice(-2000)}`));
    });
  });
  return {
    child,
    url,
    inbound,
    log: () => stderr,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
    rssBytes: () => readRss(child.pid),
  };
}

/** RSS of a process from /proc (Linux), in bytes. */
export function readRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
