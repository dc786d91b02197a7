import { readFileSync } from 'node:fs';
import type { Contract, ContractVersion } from '../../governance/contracts/index.js';
import { LoomError } from '../../kernel/index.js';
import { ApiClient } from '../api-client.js';
import { stringOption, type CliIo, type Command, type ParsedArgs } from '../command.js';
import { ExitCode } from '../exit-codes.js';

const usage = 'loom contracts list | show <name> | register <name> --kind json-schema|hl7v2|x12 --owner WHO --file SCHEMA.json | approve <name> <version>   [--url URL] [--json]';

function clientFor(args: ParsedArgs, io: CliIo): ApiClient {
  return new ApiClient(stringOption(args, 'url') ?? io.env.LOOM_URL ?? 'http://127.0.0.1:8080', io.env.LOOM_TOKEN);
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new LoomError('cli.argument.missing', `${what} is missing`, { hint: `usage: ${usage}` });
  return value;
}

const describeVersion = (v: ContractVersion): string => {
  const changes = v.classification?.changes.map((c) => `  ${c.breaking ? '!' : ' '} ${c.path}: ${c.message}`) ?? [];
  return [`${v.name}@${v.version} ${v.kind} ${v.status}${v.classification ? ` (${v.classification.compatibility})` : ' (first version)'}`, ...changes, ''].join('\n');
};

/** `loom contracts`: the contract registry of the running engine (register, list, show, owner approval). */
export const contractsCommand: Command = {
  name: 'contracts',
  summary: 'Register, list and approve message contract versions (calls the running engine)',
  usage,
  options: { url: { type: 'string' }, json: { type: 'boolean', default: false }, kind: { type: 'string' }, owner: { type: 'string' }, file: { type: 'string' }, note: { type: 'string' } },
  async run(args, io) {
    const client = clientFor(args, io);
    const [action, name, version] = args.positionals;
    const print = (value: unknown, text: () => string) => io.out(args.values.json ? `${JSON.stringify(value, null, 2)}\n` : text());
    if (action === 'list') {
      const { items } = await client.request<{ items: Contract[] }>('GET', '/api/v1/contracts');
      print(items, () => `${items.map((c) => `${c.name.padEnd(24)} ${c.kind.padEnd(12)} v${c.latest}  owner ${c.owner}`).join('\n')}\n`);
      return ExitCode.ok;
    }
    const contract = encodeURIComponent(need(name, 'the contract name'));
    if (action === 'show') {
      const result = await client.request<{ contract: Contract; versions: ContractVersion[] }>('GET', `/api/v1/contracts/${contract}`);
      print(result, () => `${result.contract.name}: owner ${result.contract.owner}\n${result.versions.map(describeVersion).join('')}`);
      return ExitCode.ok;
    }
    if (action === 'register') {
      const file = need(stringOption(args, 'file'), '--file');
      let schema: unknown;
      try {
        schema = JSON.parse(readFileSync(file, 'utf8'));
      } catch (cause) {
        throw new LoomError('cli.input.invalid', `${file} is not a readable JSON file`, { location: file, hint: 'the contract document is JSON (JSON Schema, or a Loom HL7/X12 profile)', cause });
      }
      const body = { kind: need(stringOption(args, 'kind'), '--kind'), owner: need(stringOption(args, 'owner'), '--owner'), schema, ...(stringOption(args, 'note') ? { note: stringOption(args, 'note') } : {}) };
      const v = await client.request<ContractVersion>('POST', `/api/v1/contracts/${contract}/versions`, body);
      print(v, () => describeVersion(v) + (v.status === 'pending-approval' ? `breaking: waits for the owner's approval (loom contracts approve ${v.name} ${v.version})\n` : ''));
      return ExitCode.ok;
    }
    if (action === 'approve') {
      if (!version || !/^\d+$/.test(version)) throw new LoomError('cli.argument.missing', 'the version number is missing', { hint: `usage: ${usage}` });
      const v = await client.request<ContractVersion>('POST', `/api/v1/contracts/${contract}/versions/${version}/approve`);
      print(v, () => `approved ${v.name}@${v.version} (by ${v.approvedBy ?? '?'}); channels may pin it now\n`);
      return ExitCode.ok;
    }
    throw new LoomError('cli.usage', action ? `unknown action "${action}"` : 'the action is missing', { hint: `usage: ${usage}` });
  },
};
