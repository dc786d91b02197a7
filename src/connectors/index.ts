// Connectors: how messages enter and leave Loom (MLLP, HTTP, file, AMQP, NATS, FHIR, FHIR polling, legacy database polling, SFTP).
import type { ConnectorKind } from '../kernel/connector.js';
import { amqpConnector } from './amqp/index.js';
import { channelConnector } from './channel/index.js';
import { fhirConnector } from './fhir/index.js';
import { fhirPollConnector } from './fhir-poll/index.js';
import { dbPollConnector } from './db-poll/index.js';
import { sftpConnector } from './sftp/index.js';
import { fileConnector } from './file/index.js';
import { httpConnector } from './http/index.js';
import { mllpConnector } from './mllp/index.js';
import { natsConnector } from './nats/index.js';
import { fhirStoreConnector } from '../fhir-server/index.js';

export * from './amqp/index.js';
export * from './channel/index.js';
export * from './fhir/index.js';
export * from './fhir-poll/index.js';
export * from './db-poll/index.js';
export * from './sftp/index.js';
export * from './file/index.js';
export * from './http/index.js';
export * from './mllp/index.js';
export * from './nats/index.js';
export { RecordingIntake, waitFor, type RecordingIntakeOptions, type RecordingDecision, type RecordedMessage } from './shared/index.js';

/**
 * Every connector kind by its config name. The config loader validates an endpoint's options
 * with `connectorKinds[kind].schema` and builds it with `inbound`/`outbound`.
 *
 * @example
 * const kind = connectorKinds.mllp;
 * const server = kind.inbound!(kind.schema.parse({ channel: 'adt', port: 2575 }), context);
 */
export const connectorKinds: Record<string, ConnectorKind<unknown>> = {
  mllp: mllpConnector as ConnectorKind<unknown>,
  http: httpConnector as ConnectorKind<unknown>,
  file: fileConnector as ConnectorKind<unknown>,
  amqp: amqpConnector as ConnectorKind<unknown>,
  nats: natsConnector as ConnectorKind<unknown>,
  fhir: fhirConnector as ConnectorKind<unknown>,
  'fhir-poll': fhirPollConnector as ConnectorKind<unknown>,
  'db-poll': dbPollConnector as ConnectorKind<unknown>,
  sftp: sftpConnector as ConnectorKind<unknown>,
  'fhir-store': fhirStoreConnector as ConnectorKind<unknown>,
  channel: channelConnector as ConnectorKind<unknown>,
};
