import { LoomError } from '../../kernel/errors.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../kernel/connector.js';
import { fetchFailure, isRetryableStatus } from '../http/index.js';
import { bodyOf, excerpt } from '../shared/util.js';
import { outboundTraceHeaders } from '../../observability/index.js';
import { operationOutcomeText, planFhirCall, worstEntryStatus } from './request.js';
import type { FhirOptions } from './schema.js';

/**
 * FHIR R4 REST client for one destination server. 2xx delivered; 408/429/5xx/timeout retried;
 * other 4xx failed with the OperationOutcome text. A batch response with a failed entry is
 * judged by its worst entry.
 *
 * @example
 * const out = new FhirOutbound(fhirOptionsSchema.parse({ baseUrl: 'https://ehr/fhir/R4', auth: { value: 'Bearer t' } }));
 * await out.deliver({ ...request, payload: Buffer.from(JSON.stringify(patient)) });
 */
export class FhirOutbound implements OutboundConnector {
  readonly kind = 'fhir';

  constructor(private readonly options: FhirOptions) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    let call;
    try {
      call = planFhirCall(this.options.baseUrl, JSON.parse(Buffer.from(request.payload).toString('utf8')) as object, this.options.mode);
    } catch (err) {
      const error = err instanceof LoomError ? err : new LoomError('fhir.json.invalid', `the payload is not JSON: ${(err as Error).message}`, { hint: 'the route must translate to a FHIR R4 JSON resource first' });
      return { status: 'failed', error };
    }
    const headers: Record<string, string> = {
      accept: 'application/fhir+json',
      ...this.options.headers,
      ...request.headers,
      ...outboundTraceHeaders(request.headers, request.messageId),
      ...call.headers,
      'content-type': 'application/fhir+json',
      'idempotency-key': request.idempotencyKey,
      'x-request-id': request.messageId,
    };
    if (this.options.auth) headers[this.options.auth.header] = this.options.auth.value;
    let response: Response;
    let text: string;
    try {
      response = await fetch(call.url, { method: call.method, headers, body: bodyOf(request.payload), signal: AbortSignal.timeout(this.options.timeoutMs) });
      text = await response.text();
    } catch (err) {
      return fetchFailure(err, call.url, this.options.timeoutMs);
    }
    const status = response.ok ? (worstEntryStatus(text) ?? response.status) : response.status;
    if (status < 300) return { status: 'delivered', response: `${call.method} ${call.url} → ${response.status}` };
    const reason = operationOutcomeText(text) ?? excerpt(text);
    const error = new LoomError(`delivery.fhir.${status}`, `${call.method} ${call.url} answered ${status}${reason ? `: ${reason}` : ''}`, {
      hint: isRetryableStatus(status) ? 'transient: Loom retries' : 'the FHIR server refused the resource: fix it and replay from the dead-letter channel',
    });
    return isRetryableStatus(status) ? { status: 'retry', error, response: excerpt(text) } : { status: 'failed', error, response: excerpt(text) };
  }

  async close(): Promise<void> {}
}
