import path from 'node:path';
import { LoomError } from '../../kernel/errors.js';
import type { ConnectorKind } from '../../kernel/connector.js';
import { FileCursorStore } from '../shared/cursor-store.js';
import { FhirPollInbound } from './inbound.js';
import { fhirPollOptionsSchema, type FhirPollOptions } from './schema.js';

export { FhirPollInbound, type FhirPollResult } from './inbound.js';
export { fhirPollOptionsSchema, type FhirPollOptions } from './schema.js';

/** The `fhir-poll` connector kind: an inbound that pulls changed resources from a FHIR server. */
export const fhirPollConnector: ConnectorKind<FhirPollOptions> = {
  kind: 'fhir-poll',
  schema: fhirPollOptionsSchema,
  inbound(options, context) {
    if (!options.channel) throw new LoomError('config.field.invalid', 'a fhir-poll endpoint needs `channel`', { location: 'fhir-poll.channel' });
    if (!context.dataDir) throw new LoomError('config.field.invalid', 'a fhir-poll endpoint keeps its cursor in the data folder, and this engine has none', { hint: 'set store.dataDir' });
    return new FhirPollInbound({ ...options, channel: options.channel }, new FileCursorStore(path.join(context.dataDir, 'cursors')), context.logger);
  },
};
