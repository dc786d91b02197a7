import path from 'node:path/posix';
import { LoomError } from '../../kernel/errors.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../kernel/connector.js';
import { extensionOf, renderFileName } from '../file/names.js';
import type { SftpOptions } from './schema.js';
import { SftpSession } from './session.js';

/**
 * SFTP drop: write under a dot-name, then rename to the final name, so the receiver never reads a
 * half-written file. The final name carries the idempotency key: when it already exists the
 * delivery counts as done (a retry after a lost answer writes nothing twice).
 *
 * @example
 * const drop = new SftpOutbound(options); await drop.deliver(request); // { status: 'delivered' }
 */
export class SftpOutbound implements OutboundConnector {
  readonly kind = 'sftp';
  private readonly session: SftpSession;

  constructor(private readonly options: SftpOptions) {
    this.session = new SftpSession(options);
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const name = renderFileName(this.options.fileName, { messageId: request.messageId, idempotencyKey: request.idempotencyKey, ext: extensionOf(request.contentType) });
    const final = path.join(this.options.folder, name);
    const temp = path.join(this.options.folder, `.${name}.part`);
    try {
      if (await this.session.exists(final)) return { status: 'delivered', response: `${final} already there` };
      await this.session.write(temp, request.payload);
      if (!(await this.session.rename(temp, final))) throw new LoomError('sftp.remote.failed', `${temp} vanished before the rename`, { location: temp });
      return { status: 'delivered', response: final };
    } catch (err) {
      const error = err instanceof LoomError ? err : new LoomError('sftp.remote.failed', String(err), { cause: err });
      // A changed host key will not fix itself, but retrying keeps the messages until someone decides.
      return { status: 'retry', error };
    }
  }

  async close(): Promise<void> {
    this.session.close();
  }
}
