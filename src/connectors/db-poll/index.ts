import path from 'node:path';
import { LoomError } from '../../kernel/errors.js';
import type { ConnectorKind } from '../../kernel/connector.js';
import { FileCursorStore } from '../shared/cursor-store.js';
import { DbPollInbound } from './inbound.js';
import { dbPollOptionsSchema, type DbPollOptions } from './schema.js';

export { DbPollInbound } from './inbound.js';
export { dbPollOptionsSchema, type DbPollOptions } from './schema.js';
export { batchQuery } from './sql.js';

/** The `db-poll` connector kind: a legacy database poller for PostgreSQL and MariaDB/MySQL (a migration aid). */
export const dbPollConnector: ConnectorKind<DbPollOptions> = {
  kind: 'db-poll',
  schema: dbPollOptionsSchema,
  inbound(options, context) {
    if (!options.channel) throw new LoomError('config.field.invalid', 'a db-poll endpoint needs `channel`', { location: 'db-poll.channel' });
    if (!context.dataDir) throw new LoomError('config.field.invalid', 'a db-poll endpoint keeps its cursor in the data folder, and this engine has none', { hint: 'set store.dataDir' });
    return new DbPollInbound({ ...options, channel: options.channel }, new FileCursorStore(path.join(context.dataDir, 'cursors')), context.logger);
  },
};
