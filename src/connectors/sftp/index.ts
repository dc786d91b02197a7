import { LoomError } from '../../kernel/errors.js';
import type { ConnectorKind } from '../../kernel/connector.js';
import { SftpInbound } from './inbound.js';
import { SftpOutbound } from './outbound.js';
import { sftpOptionsSchema, type SftpOptions } from './schema.js';

export { SftpInbound } from './inbound.js';
export { SftpOutbound } from './outbound.js';
export { fingerprintOf } from './session.js';
export { sftpOptionsSchema, type SftpOptions } from './schema.js';

/** The `sftp` connector kind: pickup from and drop into a folder on an SFTP server (managed file transfer). */
export const sftpConnector: ConnectorKind<SftpOptions> = {
  kind: 'sftp',
  schema: sftpOptionsSchema,
  inbound(options, context) {
    if (!options.channel) throw new LoomError('config.field.invalid', 'an inbound sftp endpoint needs `channel`', { location: 'sftp.channel' });
    return new SftpInbound({ ...options, channel: options.channel }, context.logger);
  },
  outbound(options) {
    return new SftpOutbound(options);
  },
};
