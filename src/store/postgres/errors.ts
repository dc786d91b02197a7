import { LoomError } from '../../kernel/index.js';

/**
 * The URL with any password replaced by `***`, safe for messages and logs.
 *
 * @example redactUrl('postgres://loom:pw@db/loom') // 'postgres://loom:***@db/loom'
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN)$/;

/**
 * Map `pg` and network failures onto stable LoomError codes: `store.unavailable` when the server
 * cannot be reached (URL without password + hint), `store.full` on disk full (SQLSTATE 53100),
 * `store.failed` for anything else, naming where.
 *
 * @example throw pgStoreError(err, options.url, 'journal')
 */
export function pgStoreError(error: unknown, url: string, where: string): LoomError {
  if (error instanceof LoomError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const safe = redactUrl(url);
  if (typeof code === 'string' && (UNREACHABLE.test(code) || code.startsWith('08') || code === '57P03')) {
    return new LoomError('store.unavailable', `Cannot reach the PostgreSQL message store at ${safe}: ${message}`, {
      location: safe,
      hint: 'check that PostgreSQL is running and accepts connections at that host and port, and that the URL (store.url / LOOM_STORE_URL) is right',
      cause: error,
    });
  }
  if (code === '53100') {
    return new LoomError('store.full', `The PostgreSQL message store at ${safe} is out of disk space: ${message}`, {
      location: safe, hint: 'free disk space on the database server or lower the retention periods, then retry', cause: error,
    });
  }
  if (code === '28P01' || code === '28000' || code === '3D000' || code === '42501') {
    return new LoomError('store.unavailable', `PostgreSQL refused the message store at ${safe}: ${message}`, {
      location: safe, hint: 'check the user, password, database name and the user\'s rights on the schema', cause: error,
    });
  }
  return new LoomError('store.failed', `PostgreSQL message store error in ${where}: ${message}`, { location: safe, cause: error });
}
