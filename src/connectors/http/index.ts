import { LoomError } from '../../kernel/errors.js';
import type { ConnectorKind } from '../../kernel/connector.js';
import { HttpInbound } from './inbound.js';
import { HttpOutbound } from './outbound.js';
import { httpOptionsSchema, type HttpOptions } from './schema.js';

export { createHttpIntakeHandler, HttpInbound } from './inbound.js';
export type { HttpIntakeOptions } from './inbound.js';
export { HttpOutbound, isRetryableStatus, fetchFailure } from './outbound.js';
export { problemResponse } from './problem.js';
export { httpOptionsSchema, type HttpOptions } from './schema.js';

/** The `http` connector kind: standalone inbound listener (or `createHttpIntakeHandler` on the API) and fetch outbound. */
export const httpConnector: ConnectorKind<HttpOptions> = {
  kind: 'http',
  schema: httpOptionsSchema,
  inbound(options, context) {
    if (!options.channel || options.port === undefined) {
      throw new LoomError('config.field.invalid', 'an inbound http endpoint with its own listener needs `channel` and `port`', {
        location: 'http.port', hint: 'without a port, mount createHttpIntakeHandler on the API instead',
      });
    }
    return new HttpInbound(options.channel, { host: options.host, port: options.port, path: options.path, maxBytes: options.maxBytes, signature: options.signature, onSignatureRefused: context.onSecurityRefusal, logger: context.logger });
  },
  outbound(options) {
    if (!options.url) throw new LoomError('config.field.invalid', 'an outbound http endpoint needs `url`', { location: 'http.url' });
    const signature = options.signature ? { secret: options.signature.secret, header: options.signature.header } : undefined;
    return new HttpOutbound({ url: options.url, method: options.method, headers: options.headers, auth: options.auth, oauth2: options.oauth2, signature, timeoutMs: options.timeoutMs });
  },
};
