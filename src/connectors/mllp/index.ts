import { readFileSync } from 'node:fs';
import { LoomError } from '../../kernel/errors.js';
import type { ConnectorKind } from '../../kernel/connector.js';
import { MllpClient } from './client.js';
import { loadTlsFiles, MllpServer } from './server.js';
import { mllpOptionsSchema, type MllpOptions } from './schema.js';

export { MllpServer, loadTlsFiles, type MllpServerOptions } from './server.js';
export { MllpClient, type MllpClientOptions } from './client.js';
export { ackForReceipt, ackForRefusal, rejectionCode, messageForAck } from './ack.js';
export { mllpOptionsSchema, type MllpOptions, type MllpTlsOptions } from './schema.js';

/** The `mllp` connector kind: HL7 v2 over MLLP (plain TCP or TLS), server in, client out. */
export const mllpConnector: ConnectorKind<MllpOptions> = {
  kind: 'mllp',
  schema: mllpOptionsSchema,
  inbound(options, context) {
    if (!options.channel) throw new LoomError('config.field.invalid', 'an inbound mllp endpoint needs `channel`', { location: 'mllp.channel' });
    const tls = options.tls
      ? loadTlsFiles({ cert: options.tls.cert && context.resolvePath(options.tls.cert), key: options.tls.key && context.resolvePath(options.tls.key), ca: options.tls.ca && context.resolvePath(options.tls.ca) })
      : undefined;
    return new MllpServer({ ...options, channel: options.channel, tls, logger: context.logger });
  },
  outbound(options, context) {
    const file = (p?: string): Buffer | undefined => (p ? readFileSync(context.resolvePath(p)) : undefined);
    const tls = options.tls
      ? { ca: file(options.tls.ca), cert: file(options.tls.cert), key: file(options.tls.key), rejectUnauthorized: options.tls.rejectUnauthorized }
      : undefined;
    return new MllpClient({ ...options, tls });
  },
};
