import { loadConfig } from '../../config/index.js';
import { connectorKinds } from '../../connectors/index.js';
import { openAuditLog, type VerifyResult } from '../../governance/audit/index.js';
import { LoomError } from '../../kernel/index.js';
import { ApiClient } from '../api-client.js';
import { stringOption, type CliIo, type Command, type ParsedArgs } from '../command.js';
import { ExitCode } from '../exit-codes.js';

const usage = 'loom audit verify [--config FILE | --data DIR | --url URL] [--json]';

/** Verify through a running engine's API (`--url`), else straight from the configured store. */
async function verify(args: ParsedArgs, io: CliIo): Promise<VerifyResult> {
  const url = stringOption(args, 'url');
  if (url) return new ApiClient(url, io.env.LOOM_TOKEN).request<VerifyResult>('GET', '/api/v1/audit/verify');
  const dataDir = stringOption(args, 'data');
  const { config } = loadConfig({ file: stringOption(args, 'config') ?? io.env.LOOM_CONFIG, env: io.env, overrides: dataDir ? { dataDir } : {}, connectorKinds });
  const audit = await openAuditLog(config.store, { readonly: true });
  try {
    return await audit.verify();
  } finally {
    await audit.close();
  }
}

/**
 * `loom audit verify`: re-hash the audit chain. Exit 0 when intact (prints the head to record
 * elsewhere), 2 naming the first edited, deleted or reordered row.
 */
export const auditCommand: Command = {
  name: 'audit',
  summary: 'Verify the hash-chained audit log (exit 2 names the first tampered row)',
  usage,
  options: { config: { type: 'string' }, data: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean', default: false } },
  async run(args, io) {
    const action = args.positionals[0];
    if (action !== 'verify') throw new LoomError('cli.usage', action ? `unknown action "${action}"` : 'the action is missing', { hint: `usage: ${usage}` });
    const result = await verify(args, io);
    if (args.values.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
    if (!result.ok) {
      throw new LoomError('audit.chain.broken', `audit log broken at row ${result.seq} (${result.problem}): ${result.message}`, {
        location: `audit_log row ${result.seq}`,
        hint: `rows 1–${result.rows} are intact; compare row ${result.seq} with a backup or an exported CSV (GET /api/v1/audit?format=csv)`,
      });
    }
    if (!args.values.json) {
      io.out(result.head ? `audit log intact: ${result.rows} rows, head row ${result.head.seq} sha256:${result.head.hash}\n` : 'audit log intact: no rows yet\n');
    }
    return ExitCode.ok;
  },
};
