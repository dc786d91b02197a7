import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadInterfaceTests, runInterfaceTests } from '../../app/interface-tests/index.js';
import { DEFAULT_CONFIG_FILE } from '../../config/index.js';
import { stringOption, type Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';

/**
 * `loom test [dir]`: interface tests as code. Each `*.test.yaml|json` names a channel, an input and
 * the expected output per destination; they run through the real pipeline (temp store, destinations
 * captured). Readable diffs on failure; exit 2 when any test fails.
 */
export const testCommand: Command = {
  name: 'test',
  summary: 'Run interface tests (fixtures with expected outputs per destination) through the real channel pipelines',
  usage: 'loom test [dir] [--config FILE]   (dir default: tests/ beside the config)',
  options: { config: { type: 'string' } },
  async run(args, io) {
    const configArg = stringOption(args, 'config') ?? io.env.LOOM_CONFIG;
    const configFile = configArg !== undefined ? resolve(configArg) : existsSync(resolve(DEFAULT_CONFIG_FILE)) ? resolve(DEFAULT_CONFIG_FILE) : undefined;
    const dir = args.positionals[0] ?? join(configFile ? dirname(configFile) : process.cwd(), 'tests');
    const tests = loadInterfaceTests(dir);
    const results = await runInterfaceTests(tests, { ...(configFile ? { configFile } : {}), env: io.env });
    let failed = 0;
    for (const r of results) {
      const where = r.test.file.startsWith(process.cwd()) ? r.test.file.slice(process.cwd().length + 1) : r.test.file;
      if (r.ok) {
        io.out(`✓ ${r.test.name}  (${where})\n`);
        continue;
      }
      failed++;
      io.out(`✗ ${r.test.name}  (${where})\n`);
      for (const m of r.mismatches) io.out(`    ${m.where}\n      expected ${m.expected}\n      actual   ${m.actual}\n`);
    }
    io.out(`\n${results.length - failed} passed, ${failed} failed (${results.length} interface tests, channel pipelines of ${configFile ?? 'the default config'})\n`);
    return failed > 0 ? ExitCode.invalid : ExitCode.ok;
  },
};
