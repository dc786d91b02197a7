import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { connectorKinds } from '../../connectors/index.js';
import { catalogCsv, catalogFromConfig, catalogMarkdown, impactOf, openCatalogStore, type CatalogEntry } from '../../governance/catalog/index.js';
import type { LoomConfig } from '../../config/schema.js';
import { LoomError } from '../../kernel/index.js';
import { stringOption, type Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { catalogImportMirth, migrateChannels } from './mirth-import.js';

const usage = 'loom catalog report [--format markdown|csv] [--out FILE] [--down SYSTEM] [--config FILE] [--data DIR]\n       loom catalog import --mirth <export.xml|folder> [--format markdown|json] [--out FILE] [--url URL | --config FILE]';

/** Config entries plus what was imported into the store (when the store exists). */
async function entriesOf(config: LoomConfig): Promise<CatalogEntry[]> {
  const derived = catalogFromConfig(config);
  if (config.store.kind === 'sqlite' && !existsSync(path.join(config.store.dataDir, 'loom.db'))) return derived;
  const store = await openCatalogStore(config.store);
  try {
    const ids = new Set(derived.map((e) => e.id));
    return [...derived, ...(await store.list()).filter((e) => !ids.has(e.id))];
  } finally {
    await store.close();
  }
}

/**
 * `loom catalog report`: the interface catalog of a config as Markdown or CSV, or what stops when
 * a system is down. `loom catalog import --mirth`: assess a Mirth estate and store it in the catalog.
 */
export const catalogCommand: Command = {
  name: 'catalog',
  summary: 'Report the interface catalog, or import and assess a Mirth Connect / Open Integration Engine estate into it',
  usage,
  options: { format: { type: 'string', default: 'markdown' }, out: { type: 'string' }, down: { type: 'string' }, config: { type: 'string' }, data: { type: 'string' }, mirth: { type: 'string' }, url: { type: 'string' } },
  async run(args, io) {
    if (args.positionals[0] === 'import') return catalogImportMirth(args, io);
    if (args.positionals[0] !== 'report') throw new LoomError('cli.usage', args.positionals[0] ? `unknown action "${args.positionals[0]}"` : 'the action is missing', { hint: `usage: ${usage}` });
    const format = stringOption(args, 'format') ?? 'markdown';
    if (format !== 'markdown' && format !== 'csv') throw new LoomError('cli.option.invalid', `--format expects markdown or csv, got "${format}"`, { location: '--format' });
    const dataDir = stringOption(args, 'data');
    const { config } = loadConfig({ file: stringOption(args, 'config') ?? io.env.LOOM_CONFIG, env: io.env, overrides: dataDir ? { dataDir } : {}, connectorKinds });
    const entries = await entriesOf(config);
    const down = stringOption(args, 'down');
    let text: string;
    if (down) {
      const impact = impactOf(entries, down);
      text = [`If ${impact.system} is down:`, ...impact.stopped.map((s) => `  stops     ${s.id}: ${s.reason}`), ...impact.degraded.map((s) => `  degraded  ${s.id}: ${s.reason}`), ''].join('\n');
      if (impact.stopped.length + impact.degraded.length === 0) text = `Nothing in the catalog depends on ${impact.system}.\n`;
    } else {
      text = format === 'csv' ? catalogCsv(entries) : catalogMarkdown(entries);
    }
    const out = stringOption(args, 'out');
    if (out) {
      writeFileSync(out, text);
      io.out(`wrote ${entries.length} catalog entries to ${out}\n`);
    } else io.out(text);
    return ExitCode.ok;
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
