import { LoomError } from '../../kernel/index.js';
import type { Command } from '../command.js';
import { catalogImportMirth, migrateChannels } from './mirth-import.js';

const usage = 'loom catalog import --mirth <export.xml|folder> [--format md|json] [--out FILE]';

/** `loom catalog`: the interface catalog (today: import and assess a Mirth Connect estate). */
export const catalogCommand: Command = {
  name: 'catalog',
  summary: 'Interface catalog: import and assess a Mirth Connect / Open Integration Engine estate',
  usage,
  options: { mirth: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  async run(args, io) {
    const action = args.positionals[0];
    if (action === 'import') return catalogImportMirth(args, io);
    throw new LoomError('cli.usage', action ? `unknown action "${action}"` : 'the action is missing', { hint: `usage: ${usage}` });
  },
};

/** `loom migrate-channel`: Loom channels and test scaffolds from simple Mirth channels. */
export const migrateChannelCommand: Command = {
  name: 'migrate-channel',
  summary: 'Generate Loom channels and loom test scaffolds from simple Mirth channels',
  usage: 'loom migrate-channel <export.xml|folder> --out DIR [--channel NAME]',
  options: { out: { type: 'string' }, channel: { type: 'string' } },
  run: migrateChannels,
};
