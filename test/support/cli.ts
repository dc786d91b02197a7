import { runCli } from '../../src/cli/run-cli.js';
import { allCommands } from '../../src/cli/commands/index.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `loom <argv>` in-process and capture what it prints. */
export async function loom(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, allCommands, {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    env,
  });
  return { code, stdout, stderr };
}
