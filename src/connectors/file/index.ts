import { LoomError } from '../../kernel/errors.js';
import type { ConnectorKind } from '../../kernel/connector.js';
import { FileInbound } from './inbound.js';
import { FileOutbound } from './outbound.js';
import { fileOptionsSchema, type FileOptions } from './schema.js';

export { FileInbound, type FileInboundOptions } from './inbound.js';
export { FileOutbound } from './outbound.js';
export { contentTypeOf, globToRegExp, renderFileName } from './names.js';
export { fileOptionsSchema, type FileOptions } from './schema.js';

/** The `file` connector kind: drop-folder pickup in, temp-file-and-rename writer out. */
export const fileConnector: ConnectorKind<FileOptions> = {
  kind: 'file',
  schema: fileOptionsSchema,
  inbound(options, context) {
    if (!options.channel) throw new LoomError('config.field.invalid', 'an inbound file endpoint needs `channel`', { location: 'file.channel' });
    return new FileInbound({ ...options, channel: options.channel, folder: context.resolvePath(options.folder), logger: context.logger });
  },
  outbound(options, context) {
    return new FileOutbound({ folder: context.resolvePath(options.folder), fileName: options.fileName });
  },
};
