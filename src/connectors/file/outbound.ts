import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { LoomError } from '../../kernel/errors.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../kernel/connector.js';
import { extensionOf, renderFileName } from './names.js';

/**
 * Writes each message as one file: temp file, fsync, atomic rename, so a reader never sees a
 * half-written file. A file already named for the idempotency key counts as delivered.
 *
 * @example
 * const out = new FileOutbound({ folder: '/data/out', fileName: '{idempotencyKey}{ext}' });
 * await out.deliver(request); // writes /data/out/<key>.hl7
 */
export class FileOutbound implements OutboundConnector {
  readonly kind = 'file';

  constructor(private readonly options: { folder: string; fileName: string }) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const name = renderFileName(this.options.fileName, {
      messageId: request.messageId,
      idempotencyKey: request.idempotencyKey,
      ext: extensionOf(request.contentType),
    });
    if (!name || name.includes('/')) {
      return { status: 'failed', error: new LoomError('delivery.file.name-invalid', `file-name template gave "${name}"`, { hint: 'use {idempotencyKey} or {messageId} in fileName' }) };
    }
    const target = path.join(this.options.folder, name);
    try {
      await stat(target);
      return { status: 'delivered', response: `already written: ${name}` };
    } catch {
      // not there yet: write it
    }
    const temp = path.join(this.options.folder, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await mkdir(this.options.folder, { recursive: true });
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(request.payload);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
      // fsync the folder so the rename itself survives a power cut.
      const dir = await open(this.options.folder, 'r');
      try { await dir.sync(); } finally { await dir.close(); }
      return { status: 'delivered', response: name };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      // Disk full, permissions, a missing mount: an operator fixes these, so retry rather than dead-letter.
      return { status: 'retry', error: new LoomError('delivery.file.write-failed', `cannot write ${target}: ${String(code ?? err)}`, { cause: err, hint: 'check the folder exists, is writable and has space' }) };
    }
  }

  async close(): Promise<void> {}
}
