import { LoomError } from '../kernel/index.js';

/** Exit codes, as DESIGN.md promises: 0 ok, 1 usage, 2 invalid input / failed check, 3 environment. */
export const ExitCode = { ok: 0, usage: 1, invalid: 2, environment: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// Error-code prefixes that mean "the machine or a running engine is not as needed", not bad input.
const environmentPrefixes = ['store.', 'net.', 'engine.unreachable', 'server.', 'io.', 'config.file'];

/** Which exit code a failure maps to. */
export function exitCodeFor(error: unknown): ExitCode {
  if (!(error instanceof LoomError)) return ExitCode.environment;
  if (error.code.startsWith('cli.')) return ExitCode.usage;
  if (environmentPrefixes.some((prefix) => error.code.startsWith(prefix))) return ExitCode.environment;
  return ExitCode.invalid;
}
