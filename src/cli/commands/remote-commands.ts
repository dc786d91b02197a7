import { LoomError } from '../../kernel/index.js';
import { ApiClient } from '../api-client.js';
import { ExitCode } from '../exit-codes.js';
import { stringOption, type CliIo, type Command, type ParsedArgs } from '../command.js';

const remoteOptions = { url: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

function clientFor(args: ParsedArgs, io: CliIo): ApiClient {
  const url = stringOption(args, 'url') ?? io.env.LOOM_URL ?? 'http://127.0.0.1:8080';
  return new ApiClient(url, io.env.LOOM_TOKEN);
}

function print(io: CliIo, args: ParsedArgs, value: unknown, table: () => string): void {
  io.out(args.values.json ? `${JSON.stringify(value, null, 2)}\n` : table());
}

interface MessageRow {
  id: string;
  channel: string;
  status: string;
  receivedAt: string;
  controlId?: string;
}

function requireArg(args: ParsedArgs, index: number, what: string, usage: string): string {
  const value = args.positionals[index];
  if (!value) throw new LoomError('cli.argument.missing', `${what} is missing`, { hint: `usage: ${usage}` });
  return value;
}

const messagesUsage = 'loom messages search [--q KEY] [--channel C] [--status S] [--from ISO] [--to ISO] [--limit N] | loom messages show <id>';

export const messagesCommand: Command = {
  name: 'messages',
  summary: 'Search stored messages or show one (calls the running engine)',
  usage: messagesUsage,
  options: {
    ...remoteOptions,
    q: { type: 'string' },
    channel: { type: 'string' },
    status: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    'correlation-id': { type: 'string' },
  },
  async run(args, io) {
    const client = clientFor(args, io);
    const action = requireArg(args, 0, 'the action (search or show)', messagesUsage);
    if (action === 'show') {
      const id = requireArg(args, 1, 'the message id', messagesUsage);
      const detail = await client.request<unknown>('GET', `/api/v1/messages/${encodeURIComponent(id)}`);
      io.out(`${JSON.stringify(detail, null, 2)}\n`);
      return ExitCode.ok;
    }
    if (action !== 'search') throw new LoomError('cli.usage', `unknown action "${action}"`, { hint: `usage: ${messagesUsage}` });
    const query = new URLSearchParams();
    for (const [flag, param] of [
      ['q', 'q'], ['channel', 'channel'], ['status', 'status'], ['from', 'from'], ['to', 'to'],
      ['limit', 'limit'], ['cursor', 'cursor'], ['correlation-id', 'correlationId'],
    ] as const) {
      const value = stringOption(args, flag);
      if (value !== undefined) query.set(param, value);
    }
    const page = await client.request<{ items: MessageRow[]; nextCursor?: string }>('GET', `/api/v1/messages?${query}`);
    print(io, args, page, () => {
      const lines = page.items.map((m) => `${m.id}  ${m.receivedAt}  ${m.channel.padEnd(20)} ${m.status.padEnd(10)} ${m.controlId ?? ''}`);
      if (page.nextCursor) lines.push(`(more: --cursor ${page.nextCursor})`);
      return `${lines.join('\n')}\n`;
    });
    return ExitCode.ok;
  },
};

const dlqUsage = 'loom dlq list [--channel C] | loom dlq replay <id> | loom dlq discard <id> --reason TEXT';

export const dlqCommand: Command = {
  name: 'dlq',
  summary: 'List, replay or discard dead letters (calls the running engine)',
  usage: dlqUsage,
  options: { ...remoteOptions, channel: { type: 'string' }, reason: { type: 'string' }, limit: { type: 'string' } },
  async run(args, io) {
    const client = clientFor(args, io);
    const action = requireArg(args, 0, 'the action (list, replay or discard)', dlqUsage);
    if (action === 'list') {
      const query = new URLSearchParams();
      const channel = stringOption(args, 'channel');
      if (channel) query.set('channel', channel);
      const limit = stringOption(args, 'limit');
      if (limit) query.set('limit', limit);
      const page = await client.request<{ items: Array<{ id: string; channel: string; destination: string; code: string; reason: string }> }>(
        'GET',
        `/api/v1/dead-letters?${query}`,
      );
      print(io, args, page, () => `${page.items.map((d) => `${d.id}  ${d.channel} -> ${d.destination}  ${d.code}: ${d.reason}`).join('\n')}\n`);
      return ExitCode.ok;
    }
    const id = requireArg(args, 1, 'the dead letter id', dlqUsage);
    if (action === 'replay') {
      const result = await client.request<unknown>('POST', `/api/v1/dead-letters/${encodeURIComponent(id)}/replay`);
      io.out(`${JSON.stringify(result)}\n`);
      return ExitCode.ok;
    }
    if (action === 'discard') {
      const reason = stringOption(args, 'reason');
      if (!reason) throw new LoomError('cli.argument.missing', 'discarding needs --reason', { hint: `usage: ${dlqUsage}` });
      const result = await client.request<unknown>('POST', `/api/v1/dead-letters/${encodeURIComponent(id)}/discard`, { reason });
      io.out(`${JSON.stringify(result)}\n`);
      return ExitCode.ok;
    }
    throw new LoomError('cli.usage', `unknown action "${action}"`, { hint: `usage: ${dlqUsage}` });
  },
};

export const replayCommand: Command = {
  name: 'replay',
  summary: 'Replay a stored message through its channel (calls the running engine)',
  usage: 'loom replay <message-id> [--destination NAME] [--as-new]',
  options: { ...remoteOptions, destination: { type: 'string' }, 'as-new': { type: 'boolean', default: false } },
  async run(args, io) {
    const id = requireArg(args, 0, 'the message id', this.usage);
    const body = { destination: stringOption(args, 'destination'), asNew: args.values['as-new'] === true };
    const result = await clientFor(args, io).request<unknown>('POST', `/api/v1/messages/${encodeURIComponent(id)}/replay`, body);
    io.out(`${JSON.stringify(result)}\n`);
    return ExitCode.ok;
  },
};

export const reloadCommand: Command = {
  name: 'reload',
  summary: 'Re-read loom.config.yaml in the running engine; changed channels apply without a restart',
  usage: 'loom reload [--url URL]',
  options: remoteOptions,
  async run(args, io) {
    const result = await clientFor(args, io).request<unknown>('POST', '/api/v1/config/reload');
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return ExitCode.ok;
  },
};
