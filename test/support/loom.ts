import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLoom, type RunningLoom, type StartLoomOptions } from '../../src/app/index.js';
import { createLogger } from '../../src/observability/index.js';

export interface TestLoom {
  loom: RunningLoom;
  /** The test's own folder, holding loom.config.yaml and ./data. */
  dir: string;
  configFile: string;
  /** Rewrite loom.config.yaml (then `loom.reload()`). */
  writeConfig(channelsYaml: string): void;
}

/** `version: 1`, a free API port and `./data` as the store, then the given `channels:` block. */
export function configText(channelsYaml: string, header = 'store: { dataDir: ./data }'): string {
  return `version: 1\nserver: { port: 0 }\n${header}\nchannels:\n${channelsYaml}`;
}

/**
 * Start a real Loom in a temp folder on free ports with the given channels, silent logs and no
 * simulators: what every end-to-end test of the running product needs.
 */
export async function startTestLoom(channelsYaml: string, options: { header?: string; env?: Record<string, string> } & Pick<StartLoomOptions, 'logger'> = {}): Promise<TestLoom> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-e2e-'));
  const configFile = path.join(dir, 'loom.config.yaml');
  const writeConfig = (yaml: string) => writeFileSync(configFile, configText(yaml, options.header));
  writeConfig(channelsYaml);
  const loom = await startLoom({ configFile, env: options.env ?? {}, simulators: false, logger: options.logger ?? createLogger({ level: 'silent' }) });
  return { loom, dir, configFile, writeConfig };
}
