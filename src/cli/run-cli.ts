import { LoomError, toLoomError } from '../kernel/index.js';
import { parseCommandArgs, type CliIo, type Command } from './command.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';

function helpText(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'loom: healthcare operations integration fabric',
    '',
    'usage: loom <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    "Run 'loom <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 usage, 2 invalid input or failed check, 3 environment (port, store, engine unreachable).',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const flags = Object.entries(command.options).map(([name, spec]) => `  --${name}${spec.type === 'string' ? ' VALUE' : ''}`);
  return [`${command.summary}`, '', `usage: ${command.usage}`, '', 'options:', ...flags, '  --help', ''].join('\n');
}

/**
 * Run one `loom` invocation and return its exit code; everything printed goes through `io`,
 * so tests run the CLI in-process.
 */
export async function runCli(argv: string[], commands: Command[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText(commands));
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`loom: unknown command "${name}"\n\n${helpText(commands)}`);
    return ExitCode.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return ExitCode.ok;
  }
  try {
    return await command.run(parseCommandArgs(command, rest), io);
  } catch (error) {
    const loomError = error instanceof LoomError ? error : toLoomError(error);
    io.err(`loom ${name}: ${loomError.describe()}\n`);
    return exitCodeFor(loomError);
  }
}
