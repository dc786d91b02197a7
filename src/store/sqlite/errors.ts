import { LoomError } from '../../kernel/index.js';

/** Map SQLite/file-system failures onto stable LoomError codes (`store.full`, `store.unwritable`). */
export function storeError(error: unknown, where: string): LoomError {
  if (error instanceof LoomError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_FULL') {
    return new LoomError('store.full', `The message store at ${where} is full: ${message}`, {
      location: where, hint: 'free disk space or lower the retention periods, then retry', cause: error,
    });
  }
  if (typeof code === 'string' && /^(SQLITE_(CANTOPEN|READONLY|IOERR|PERM)|EACCES|EROFS|ENOSPC|EPERM|ENOTDIR|ENOENT|EISDIR)/.test(code)) {
    return new LoomError('store.unwritable', `Cannot open or write the message store at ${where}: ${message}`, {
      location: where, hint: 'check that the data directory exists, is writable by this user, and the disk is not full', cause: error,
    });
  }
  return new LoomError('store.unavailable', `Message store error at ${where}: ${message}`, { location: where, cause: error });
}
