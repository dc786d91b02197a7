import { spawn } from 'node:child_process';
import { LoomError } from '../../kernel/index.js';
import { redactUrl } from './errors.js';
import { quoteIdent } from './migrate.js';

/**
 * Online backup of one schema with `pg_dump --format=custom` (consistent snapshot while Loom runs).
 * The password travels in `PGPASSWORD`, not on the command line where `ps` would show it.
 * Throws `store.backup.unsupported` when pg_dump is not installed, `store.backup.failed` when it fails.
 *
 * @example await backupPg('postgres://postgres@127.0.0.1/loom', 'loom', '/backups/loom.dump')
 */
export function backupPg(url: string, schema: string, file: string): Promise<void> {
  let dbname = url;
  const env: NodeJS.ProcessEnv = { ...process.env };
  try {
    const u = new URL(url);
    if (u.password) {
      env.PGPASSWORD = decodeURIComponent(u.password);
      u.password = '';
      dbname = u.toString();
    }
  } catch {
    // not a URL (a libpq keyword string): hand it over as is
  }
  // pg_dump folds an unquoted -n pattern to lower case: quote it
  return new Promise<void>((resolve, reject) => {
    const child = spawn('pg_dump', ['--dbname', dbname, '--schema', quoteIdent(schema), '--format', 'custom', '--no-owner', '--file', file], {
      env, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-2000);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(new LoomError('store.backup.unsupported', 'Cannot back up the PostgreSQL message store: pg_dump is not installed on this machine', {
          location: redactUrl(url), cause: error,
          hint: 'install the PostgreSQL client tools (e.g. apt-get install postgresql-client) matching the server version, or back up on the database server with pg_dump / pg_basebackup',
        }));
      } else reject(new LoomError('store.backup.failed', `pg_dump could not start: ${error.message}`, { location: file, cause: error }));
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new LoomError('store.backup.failed', `pg_dump exited with ${String(code)}: ${stderr.trim()}`, {
        location: file, hint: 'check that the target folder is writable and pg_dump is at least the server\'s major version',
      }));
    });
  });
}
