import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { LoomError } from '../../kernel/errors.js';

/**
 * Where a polling connector keeps how far it has read (a FHIR `_lastUpdated`, a database
 * watermark). A cursor moves only after the rows before it are journaled, so a crash between
 * the two re-reads a few rows, which the engine's IdempotentReceiver answers as duplicates.
 */
export interface CursorStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/**
 * One small JSON file per cursor under `<dataDir>/cursors/`, replaced atomically (write, fsync,
 * rename, fsync the folder) so a crash leaves the old or the new value, never a torn one.
 * One node per poller: several Loom nodes sharing one source must give each poller one owner.
 *
 * @example
 * const cursors = new FileCursorStore('/var/lib/loom/cursors');
 * await cursors.set('ehr-fhir/Procedure', '2026-12-05T10:00:00Z');
 */
export class FileCursorStore implements CursorStore {
  constructor(private readonly folder: string) {}

  private fileOf(key: string): string {
    return path.join(this.folder, `${key.replace(/[^\w.-]+/g, '_')}.json`);
  }

  async get(key: string): Promise<string | undefined> {
    let text: string;
    try {
      text = await readFile(this.fileOf(key), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new LoomError('cursor.unreadable', `cannot read the cursor of ${key}: ${String(err)}`, { location: this.fileOf(key), cause: err });
    }
    const parsed = JSON.parse(text) as { value?: unknown };
    if (typeof parsed.value !== 'string') {
      throw new LoomError('cursor.unreadable', `the cursor file of ${key} holds no value`, { location: this.fileOf(key), hint: 'delete it to read the source from the start (duplicates are answered as such)' });
    }
    return parsed.value;
  }

  async set(key: string, value: string): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const file = this.fileOf(key);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify({ key, value, at: new Date().toISOString() }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    const dir = await open(this.folder, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
