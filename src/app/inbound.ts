import type { Endpoint } from '../config/index.js';
import { createHttpIntakeHandler, httpConnector } from '../connectors/index.js';
import type { Engine } from '../engine/index.js';
import { LoomError, type ConnectorContext, type InboundConnector } from '../kernel/index.js';
import type { ConnectorRegistry } from './build-channels.js';
import { BROKER_KINDS, RetryingInbound } from './retrying-inbound.js';

/** A channel's running inbound side: its own listener/consumer, or a handler mounted on the API. */
export interface RunningInbound {
  channel: string;
  kind: string;
  address: string;
  connector?: InboundConnector;
  /** HTTP inbound without its own port: mounted at POST /api/v1/channels/{name}/messages. */
  httpHandler?: (request: Request) => Promise<Response>;
}

/** Start one channel's inbound endpoint against the engine's intake. */
export async function startInbound(
  channel: string,
  sourceSystem: string,
  endpoint: Endpoint,
  registry: ConnectorRegistry,
  engine: Engine,
  context: ConnectorContext,
  apiUrl: string,
): Promise<RunningInbound> {
  const options: Record<string, unknown> = { ...endpoint.options, channel };
  if (endpoint.kind === 'http' && options.port === undefined) {
    const http = httpConnector.schema.parse(options);
    return {
      channel,
      kind: 'http',
      address: `${apiUrl}/api/v1/channels/${channel}/messages`,
      httpHandler: createHttpIntakeHandler(engine, channel, { maxBytes: http.maxBytes, signature: http.signature, sourceSystem, onSignatureRefused: context.onSecurityRefusal, logger: context.logger }),
    };
  }
  const kind = registry[endpoint.kind];
  if (!kind?.inbound) {
    throw new LoomError('config.connector.direction', `connector kind "${endpoint.kind}" cannot receive`, {
      location: `channels.${channel}.inbound`,
      hint: 'pick an inbound kind: mllp, http, file, amqp or nats',
    });
  }
  const logger = context.logger ? context.logger.child({ channel }) : context.logger;
  const connector = kind.inbound(kind.schema.parse(options), { ...context, logger });
  try {
    await connector.start(engine);
  } catch (err) {
    if (!BROKER_KINDS.has(endpoint.kind)) throw err;
    // A broker that is down at boot must not keep the EHR feed and the other channels down.
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'broker inbound unavailable at start; retrying in the background');
    const retrying = new RetryingInbound(connector, engine, logger);
    retrying.begin(err);
    return { channel, kind: endpoint.kind, get address() { return retrying.address(); }, connector: retrying };
  }
  return { channel, kind: endpoint.kind, address: connector.address(), connector };
}
