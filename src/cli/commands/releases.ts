import { renderDiff, type ReleaseDiff, type ReleaseSummary } from '../../governance/releases/index.js';
import { LoomError } from '../../kernel/index.js';
import { ApiClient } from '../api-client.js';
import { stringOption, type CliIo, type Command, type ParsedArgs } from '../command.js';
import { ExitCode } from '../exit-codes.js';

const options = { url: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

function clientFor(args: ParsedArgs, io: CliIo): ApiClient {
  return new ApiClient(stringOption(args, 'url') ?? io.env.LOOM_URL ?? 'http://127.0.0.1:8080', io.env.LOOM_TOKEN);
}

const REF = /^(\d+|current|file)$/;
const diffUsage = 'loom diff [A] [B] [--url URL] [--json]   (none: current → the config file on disk; A: A → current; A B: A → B; a release number, current or file)';

/** `loom diff`: what changes between two releases of the running engine (channels, mappings, contracts, crosswalks). */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'Show what changes between two config releases, or what a reload would change (calls the running engine)',
  usage: diffUsage,
  options,
  async run(args, io) {
    const [a, b] = args.positionals;
    for (const ref of [a, b]) {
      if (ref !== undefined && !REF.test(ref)) throw new LoomError('cli.argument.invalid', `"${ref}" is not a release`, { hint: `usage: ${diffUsage}` });
    }
    const [from, to] = a === undefined ? ['current', 'file'] : b === undefined ? [a, 'current'] : [a, b];
    const result = await clientFor(args, io).request<{ from: string; to: string; diff: ReleaseDiff }>('GET', `/api/v1/releases/diff?${new URLSearchParams({ from, to })}`);
    io.out(args.values.json ? `${JSON.stringify(result, null, 2)}\n` : `release ${result.from} → ${result.to}\n${renderDiff(result.diff)}`);
    return ExitCode.ok;
  },
};

/** `loom rollback <version>`: the running engine writes that release back to its config file and reloads it. */
export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Return the running engine to an earlier config release (written back to its config file and reloaded; audited)',
  usage: 'loom rollback <version> [--url URL] [--json]',
  options,
  async run(args, io) {
    const version = args.positionals[0];
    if (!version || !/^\d+$/.test(version)) throw new LoomError('cli.argument.missing', 'the release number to return to is missing', { hint: `usage: ${this.usage}; list them: GET /api/v1/releases` });
    const now = await clientFor(args, io).request<ReleaseSummary>('POST', `/api/v1/releases/${version}/rollback`);
    io.out(args.values.json ? `${JSON.stringify(now, null, 2)}\n` : `rolled back to release ${version}: now applied as release ${now.version} (sha256:${now.hash})\n`);
    return ExitCode.ok;
  },
};
