import { startLoom } from '../../app/index.js';
import { loadConfig } from '../../config/index.js';
import { connectorKinds } from '../../connectors/index.js';
import { LoomError } from '../../kernel/index.js';
import { openSqliteStore, type SqliteStore } from '../../store/index.js';
import { intOption, stringOption, type CliIo, type Command, type ParsedArgs } from '../command.js';
import { ExitCode } from '../exit-codes.js';

const configOptions = { config: { type: 'string' }, data: { type: 'string' } } as const;

/** Flags and env (LOOM_CONFIG) → what startLoom/loadConfig take; flag > env > config > default. */
function configInputs(args: ParsedArgs, io: CliIo) {
  const port = intOption(args, 'port');
  const mllpPort = intOption(args, 'mllp-port');
  return {
    file: stringOption(args, 'config') ?? io.env.LOOM_CONFIG,
    overrides: {
      ...(port !== undefined ? { port } : {}),
      ...(mllpPort !== undefined ? { mllpPort } : {}),
      ...(stringOption(args, 'host') ? { host: stringOption(args, 'host') } : {}),
      ...(stringOption(args, 'data') ? { dataDir: stringOption(args, 'data') } : {}),
    },
  };
}

export const startCommand: Command = {
  name: 'start',
  summary: 'Run the engine, its API and console, and the channels of the config',
  usage: 'loom start [--config FILE] [--data DIR] [--port N] [--host H] [--mllp-port N]',
  options: { ...configOptions, port: { type: 'string' }, host: { type: 'string' }, 'mllp-port': { type: 'string' } },
  async run(args, io) {
    const inputs = configInputs(args, io);
    const loom = await startLoom({ configFile: inputs.file, overrides: inputs.overrides, env: io.env });
    io.err(`\nLoom is running\n  console  ${loom.url}/\n  API      ${loom.url}/api/v1 (OpenAPI: ${loom.url}/api/v1/openapi.json)\n  metrics  ${loom.url}/metrics\n`);
    for (const inbound of loom.inbound()) io.err(`  ${inbound.channel.padEnd(24)} ${inbound.kind.padEnd(5)} ${inbound.address}\n`);
    io.err(`  data     ${loom.config.store.dataDir}\n\nCtrl-C stops it gracefully; SIGHUP reloads the config.\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        io.err('stopping: finishing in-flight work...\n');
        void loom.stop().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      process.on('SIGHUP', () => {
        loom.reload().then(
          (diff) => io.err(`reloaded: ${JSON.stringify(diff)}\n`),
          (error: unknown) => io.err(`reload failed, the previous config stays: ${error instanceof LoomError ? error.describe() : String(error)}\n`),
        );
      });
    });
    return ExitCode.ok;
  },
};

/** Open the configured store (without migrating), run `use`, and always close it. */
async function withConfiguredStore<T>(args: ParsedArgs, io: CliIo, use: (store: SqliteStore, dataDir: string) => Promise<T>): Promise<T> {
  const inputs = configInputs(args, io);
  const { config } = loadConfig({ file: inputs.file, env: io.env, overrides: inputs.overrides, connectorKinds });
  const store = await openSqliteStore({ dataDir: config.store.dataDir, migrate: false });
  try {
    return await use(store, config.store.dataDir);
  } finally {
    await store.close();
  }
}

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending store migrations (also done at start)',
  usage: 'loom migrate [--config FILE] [--data DIR]',
  options: configOptions,
  async run(args, io) {
    await withConfiguredStore(args, io, async (store, dataDir) => {
      const applied = await store.migrate();
      io.out(applied.length ? `applied ${applied.join(', ')} in ${dataDir}\n` : `store in ${dataDir} is up to date\n`);
    });
    return ExitCode.ok;
  },
};

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Online backup of the store to a file (safe while Loom runs)',
  usage: 'loom backup <file> [--config FILE] [--data DIR]',
  options: configOptions,
  async run(args, io) {
    const target = args.positionals[0];
    if (!target) throw new LoomError('cli.argument.missing', 'the backup file is missing', { hint: `usage: ${this.usage}` });
    const dataDir = await withConfiguredStore(args, io, async (store, dir) => {
      await store.backup(target);
      return dir;
    });
    io.out(`backed up ${dataDir} to ${target}; restore: stop Loom, copy the file to ${dataDir}/loom.db, start Loom\n`);
    return ExitCode.ok;
  },
};
