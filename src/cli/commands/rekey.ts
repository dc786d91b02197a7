import { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../config/index.js';
import { connectorKinds } from '../../connectors/index.js';
import { cipherFor, rekeyStore } from '../../governance/encryption/index.js';
import { LoomError } from '../../kernel/index.js';
import { stringOption, type Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';

/**
 * `loom rekey`: re-encrypt every stored payload under `store.encryption`'s current key (plaintext
 * rows and rows of `previous` keys), batch by batch, with a progress bar; Loom may keep running.
 */
export const rekeyCommand: Command = {
  name: 'rekey',
  summary: 'Re-encrypt stored payloads with the current store.encryption key (safe while Loom runs)',
  usage: 'loom rekey [--config FILE] [--data DIR]',
  options: { config: { type: 'string' }, data: { type: 'string' } },
  async run(args, io) {
    const dataDir = stringOption(args, 'data');
    const { config } = loadConfig({ file: stringOption(args, 'config') ?? io.env.LOOM_CONFIG, env: io.env, overrides: dataDir ? { dataDir } : {}, connectorKinds });
    const cipher = cipherFor(config.store.encryption);
    if (!cipher) throw new LoomError('config.field.missing', 'store.encryption is not configured: there is no key to re-encrypt with', { location: 'store.encryption', hint: 'add store.encryption { keyId, key: ${env:...}, previous: [...] } to loom.config.yaml' });
    const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => { io.err(chunk.toString()); done(); } });
    const bar = new cliProgress.SingleBar({ format: 'rekey {table} [{bar}] {percentage}% {value}/{total} payloads, {rewritten} re-encrypted', stream, noTTYOutput: true, notTTYSchedule: 2000, hideCursor: false }, cliProgress.Presets.shades_classic);
    let started = false;
    const result = await rekeyStore(config.store, cipher, (p) => {
      if (!started) {
        bar.start(p.total, 0, { table: p.table, rewritten: 0 });
        started = true;
      }
      bar.update(p.done, { table: p.table, rewritten: p.rewritten });
    });
    if (started) bar.stop();
    io.out(`rekeyed ${config.store.kind === 'postgres' ? 'the PostgreSQL store' : config.store.dataDir}: ${result.rewritten} of ${result.total} payloads re-encrypted with key "${cipher.current.id}"; keys under previous are no longer needed once every node runs with this key\n`);
    return ExitCode.ok;
  },
};
