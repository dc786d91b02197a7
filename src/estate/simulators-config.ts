import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { SimulatorsConfigSchema, type SimulatorsConfig } from '../config/simulators.js';
import { formatPath, lineOf } from '../config/locate.js';
import { LoomError } from '../kernel/index.js';

export { SimulatorsConfigSchema, type SimulatorsConfig };

/** The file that switched the simulators on before they became a `simulators:` section. */
const RETIRED_SIMULATORS_FILE = 'loom.simulators.yaml';

/**
 * The `simulators:` section of the config file, validated, or undefined when the section is
 * absent, says `enabled: false`, or `LOOM_SIMULATORS=off`. Read before the rest of the config is
 * loaded, because the simulators' addresses become its environment defaults.
 *
 * @example
 * const sims = readSimulatorsConfig('/srv/estate/loom.config.yaml', process.env); // undefined without a simulators: section
 */
export function readSimulatorsConfig(configFile: string | undefined, env: Record<string, string | undefined>): SimulatorsConfig | undefined {
  if (!configFile || /^(0|off|false|no)$/i.test(env.LOOM_SIMULATORS ?? '') || !existsSync(configFile)) return undefined;
  const lines = new LineCounter();
  // Syntax errors are left to the config loader, which reports them all with their lines.
  const doc = parseDocument(readFileSync(configFile, 'utf8'), { lineCounter: lines });
  const section: unknown = doc.errors.length > 0 ? undefined : doc.getIn(['simulators'], false);
  if (section === undefined || section === null) {
    refuseRetiredFile(configFile);
    return undefined;
  }
  const parsed = SimulatorsConfigSchema.safeParse(typeof section === 'object' && 'toJSON' in section ? (section as { toJSON(): unknown }).toJSON() : section);
  if (!parsed.success) {
    const where = (issue: (typeof parsed.error.issues)[number]): PropertyKey[] =>
      ['simulators', ...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])];
    const first = parsed.error.issues[0]!;
    throw new LoomError('config.simulators.invalid', parsed.error.issues.map((i) => `${formatPath(where(i))}: ${i.message}`).join('; '), {
      location: `${basename(configFile)}:${lineOf(doc, lines, where(first), first.code === 'unrecognized_keys')} ${formatPath(where(first))}`,
      hint: 'keys: enabled, seed, speed, cases, badDataRate, date, play, inventory {transport, amqpUrl, exchange}, workDir (docs/estate.md)',
    });
  }
  return parsed.data.enabled ? parsed.data : undefined;
}

/** A config that still relies on the retired file would silently run without its simulators: say so instead. */
function refuseRetiredFile(configFile: string): void {
  const retired = join(dirname(configFile), RETIRED_SIMULATORS_FILE);
  if (!existsSync(retired)) return;
  throw new LoomError('config.simulators.moved', `${retired} is no longer read: the simulators are switched on by a simulators: section of ${basename(configFile)}`, {
    location: retired,
    hint: `move its settings under "simulators:" in ${basename(configFile)} and delete the file (docs/estate.md)`,
  });
}
