import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LoomError } from '../kernel/index.js';
import type { ExitCode } from './exit-codes.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Where a command writes: the real streams, or buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

/** One `loom` sub-command. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  run(args: ParsedArgs, io: CliIo): Promise<ExitCode>;
}

/** Parse a command's arguments strictly; unknown flags are usage errors naming the flag. */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: command.options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (cause) {
    throw new LoomError('cli.usage', (cause as Error).message, { hint: `usage: ${command.usage}`, cause });
  }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function intOption(args: ParsedArgs, name: string): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new LoomError('cli.option.invalid', `--${name} expects a whole number, got "${value}"`, { location: `--${name}` });
  }
  return parsed;
}
