import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { LoomError, toLoomError } from '../../kernel/errors.js';
import type { Intake, InboundConnector, SecurityRefusal } from '../../kernel/connector.js';
import type { Logger } from '../../kernel/ports.js';
import { parseTraceparent } from '../../observability/index.js';
import { jsonResponse, problemResponse } from './problem.js';
import { WebhookVerifier, type WebhookSignatureOptions } from '../shared/hmac.js';

export interface HttpIntakeOptions {
  maxBytes: number;
  /**
   * The channel's configured sender. It wins over an `x-loom-source` header, which is only used when
   * no sender is configured: the sender scopes duplicate detection, so a client must not choose it.
   */
  sourceSystem?: string;
  /** Webhook senders sign each body; an unsigned, wrongly signed, stale or replayed request gets 401. */
  signature?: WebhookSignatureOptions;
  /** Told of each refused signature (the audit log records it). */
  onSignatureRefused?: (refusal: SecurityRefusal) => void;
  logger?: Logger;
}

/** Read the body, stopping as soon as it exceeds `maxBytes` (no unbounded buffering). */
async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array | 'too-large'> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return 'too-large';
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return 'too-large';
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * A fetch-style handler the API mounts for an HTTP channel: 202 {messageId} once journaled,
 * 200 {duplicate: true} for a duplicate, 422 problem+json when rejected, 413 oversize,
 * 503 when the store refused (nothing stored: the sender should retry).
 *
 * @example
 * const handler = createHttpIntakeHandler(engine.intake, 'erp-invoices', { maxBytes: 1 << 20 });
 * app.post('/in/erp-invoices', (c) => handler(c.req.raw));
 */
export function createHttpIntakeHandler(intake: Intake, channel: string, options: HttpIntakeOptions): (request: Request) => Promise<Response> {
  const verifier = options.signature ? new WebhookVerifier(options.signature) : undefined;
  return async (request) => {
    const body = await readLimited(request, options.maxBytes);
    if (body === 'too-large') {
      return problemResponse(413, new LoomError('http.body.too-large', `the body exceeds ${options.maxBytes} bytes`, {
        hint: 'split the payload or raise maxBytes on the channel',
      }).toJSON());
    }
    if (verifier) {
      try {
        verifier.verify(request.headers.get(options.signature!.header), body, Date.now() / 1000);
      } catch (err) {
        const error = toLoomError(err);
        options.logger?.warn({ channel, code: error.code }, 'webhook signature refused; answered 401');
        options.onSignatureRefused?.({ channel, code: error.code, message: error.message });
        return problemResponse(401, error.toJSON());
      }
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => { if (name !== 'authorization' && name !== 'cookie') headers[name] = value; });
    // W3C trace context: keep a valid traceparent (and its tracestate); a malformed one starts a new trace.
    if (!parseTraceparent(headers.traceparent)) { delete headers.traceparent; delete headers.tracestate; }
    let receipt;
    try {
      receipt = await intake.receive({
        channel,
        payload: body,
        contentType: request.headers.get('content-type') ?? undefined,
        sourceSystem: options.sourceSystem ?? request.headers.get('x-loom-source') ?? undefined,
        headers,
      });
    } catch (err) {
      const error = toLoomError(err, 'store.unavailable');
      options.logger?.warn({ channel, code: error.code }, 'intake refused the message; answered 503');
      return problemResponse(503, error.toJSON(), [], { retryable: true });
    }
    if (receipt.outcome === 'duplicate') return jsonResponse(200, { messageId: receipt.messageId, duplicate: true });
    if (receipt.outcome === 'rejected') {
      const first = receipt.errors[0] ?? { code: 'intake.rejected', message: 'the message was rejected' };
      return problemResponse(422, first, receipt.errors, { messageId: receipt.messageId });
    }
    return jsonResponse(202, { messageId: receipt.messageId, ...(receipt.controlId ? { controlId: receipt.controlId } : {}) });
  };
}

/** A standalone HTTP listener for one channel with its own port (POST on `path`). */
export class HttpInbound implements InboundConnector {
  readonly kind = 'http';
  private server?: ServerType;

  constructor(
    private readonly channel: string,
    private readonly options: Pick<HttpIntakeOptions, 'maxBytes' | 'signature' | 'onSignatureRefused' | 'logger'> & { host: string; port: number; path: string },
  ) {}

  async start(intake: Intake): Promise<void> {
    const handler = createHttpIntakeHandler(intake, this.channel, this.options);
    const path = this.options.path;
    const fetch = (request: Request): Promise<Response> | Response => {
      if (new URL(request.url).pathname !== path) return problemResponse(404, { code: 'http.path.unknown', message: `POST to ${path}` });
      if (request.method !== 'POST') return problemResponse(405, { code: 'http.method.unsupported', message: 'use POST' });
      return handler(request);
    };
    await new Promise<void>((resolve, reject) => {
      this.server = serve({ fetch, port: this.options.port, hostname: this.options.host }, () => resolve());
      this.server.once('error', reject);
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    });
  }

  /** The bound port (useful with port 0). */
  port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  address(): string {
    return `http://${this.options.host}:${this.port()}${this.options.path}`;
  }
}
