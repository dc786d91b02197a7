import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../config/index.js';
import { readSimulatorsConfig, startSimulatedEstate, type SimulatedEstate } from '../estate/index.js';
import type { StartLoomOptions } from './loom.js';

export type { SimulatedEstate };

/**
 * Start the simulated estate when the config declares a `simulators:` section: peers on free
 * ports, their logs and vendor drops under the data dir (or the section's `workDir`).
 */
export async function startEstateSimulators(options: StartLoomOptions): Promise<SimulatedEstate | undefined> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const configFile = options.configFile !== undefined ? resolve(cwd, options.configFile) : existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? resolve(cwd, DEFAULT_CONFIG_FILE) : undefined;
  const fromFile = readSimulatorsConfig(configFile, env);
  if (!fromFile || !configFile) return undefined;
  const overrides = typeof options.simulators === 'object' ? options.simulators : {};
  const config = { ...fromFile, ...overrides, inventory: { ...fromFile.inventory, ...overrides.inventory } };
  const dataDir = options.overrides?.dataDir ?? env.LOOM_DATA;
  const workDir = dataDir ? join(resolve(cwd, dataDir), 'simulators') : resolve(dirname(configFile), config.workDir);
  const port = options.overrides?.port ?? env.LOOM_PORT ?? '';
  return startSimulatedEstate(config, { workDir, key: `${configFile}|${String(port)}|${workDir}`, ...(options.logger ? { logger: options.logger } : {}) });
}
