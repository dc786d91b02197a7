import { LoomError } from '../../kernel/errors.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../kernel/connector.js';
import { bodyOf, excerpt } from '../shared/util.js';

export interface HttpOutboundOptions {
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  headers: Record<string, string>;
  auth?: { header: string; value: string };
  timeoutMs: number;
}

/** Statuses worth retrying: request timeout, rate limit, and server-side errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Classify a thrown fetch error: our timeout, refused/reset connections: all transient. */
export function fetchFailure(err: unknown, url: string, timeoutMs: number): DeliveryResult {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { status: 'retry', error: new LoomError('delivery.timeout', `no answer from ${url} within ${timeoutMs} ms`, { hint: 'the receiver is slow or down; Loom retries' }) };
  }
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | null)?.code;
  return {
    status: 'retry',
    error: new LoomError('delivery.unreachable', `cannot reach ${url}: ${typeof code === 'string' ? code : String(cause)}`, { cause: err, hint: 'check the URL and that the receiver is up; Loom retries' }),
  };
}

/**
 * POSTs (or PUT/PATCH) each message with an `Idempotency-Key` header. 2xx delivered;
 * 408/429/5xx/timeout/refused retried; other 4xx failed with a body excerpt.
 *
 * @example
 * const out = new HttpOutbound({ url: 'https://erp/api/postings', method: 'POST', headers: {}, timeoutMs: 5000 });
 * await out.deliver(request); // { status: 'delivered' }
 */
export class HttpOutbound implements OutboundConnector {
  readonly kind = 'http';

  constructor(private readonly options: HttpOutboundOptions) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const { url, timeoutMs } = this.options;
    const headers: Record<string, string> = {
      ...this.options.headers,
      ...request.headers,
      'content-type': request.contentType,
      'idempotency-key': request.idempotencyKey,
    };
    if (this.options.auth) headers[this.options.auth.header] = this.options.auth.value;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: this.options.method, headers, body: bodyOf(request.payload), signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (err) {
      return fetchFailure(err, url, timeoutMs);
    }
    const body = excerpt(text);
    if (response.ok) return { status: 'delivered', response: body };
    const error = new LoomError(`delivery.http.${response.status}`, `${url} answered ${response.status}${body ? `: ${body}` : ''}`, {
      hint: isRetryableStatus(response.status) ? 'transient: Loom retries' : 'the receiver refused the message: fix it and replay from the dead-letter channel',
    });
    return isRetryableStatus(response.status) ? { status: 'retry', error, response: body } : { status: 'failed', error, response: body };
  }

  async close(): Promise<void> {
    // fetch keeps no connection state we own.
  }
}
