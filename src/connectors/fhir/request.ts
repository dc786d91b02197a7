import { LoomError } from '../../kernel/errors.js';

interface Identifier { system?: string; value?: string }
interface ResourceLike { resourceType?: unknown; id?: unknown; type?: unknown; identifier?: unknown }

export interface FhirHttpCall {
  method: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
}

/** `system|value` search token of the first identifier with a value (FHIR search token syntax). */
function identifierToken(resource: ResourceLike): string | undefined {
  const list = Array.isArray(resource.identifier) ? (resource.identifier as Identifier[]) : [];
  const first = list.find((i) => typeof i?.value === 'string' && i.value !== '');
  if (!first) return undefined;
  return first.system ? `${first.system}|${first.value}` : first.value;
}

/**
 * Decide the REST interaction for one resource (FHIR R4 http.html): transaction/batch Bundle →
 * POST [base]; id → PUT [type]/[id]; identifier → conditional PUT [type]?identifier=...;
 * create → POST [type] with If-None-Exist so a resend does not create a second resource.
 *
 * @example
 * planFhirCall('https://x/fhir', { resourceType: 'Patient', id: 'p1' }, 'auto') // PUT https://x/fhir/Patient/p1
 */
export function planFhirCall(baseUrl: string, resource: ResourceLike, mode: 'auto' | 'update' | 'create' | 'transaction'): FhirHttpCall {
  const base = baseUrl.replace(/\/+$/, '');
  const type = resource.resourceType;
  if (typeof type !== 'string' || !/^[A-Z][A-Za-z]+$/.test(type)) {
    throw new LoomError('fhir.resource.type-missing', 'the payload has no valid resourceType', { location: 'resourceType', hint: 'send one FHIR R4 resource or Bundle as JSON' });
  }
  const isBundle = type === 'Bundle' && (resource.type === 'transaction' || resource.type === 'batch');
  if (mode === 'transaction' || (mode === 'auto' && isBundle)) {
    if (!isBundle) throw new LoomError('fhir.bundle.type', 'transaction mode needs a Bundle of type transaction or batch', { location: 'Bundle.type' });
    return { method: 'POST', url: base, headers: {} };
  }
  const id = typeof resource.id === 'string' && resource.id !== '' ? resource.id : undefined;
  const token = identifierToken(resource);
  if (mode !== 'create' && id) return { method: 'PUT', url: `${base}/${type}/${encodeURIComponent(id)}`, headers: {} };
  if (mode !== 'create' && token) return { method: 'PUT', url: `${base}/${type}?identifier=${encodeURIComponent(token)}`, headers: {} };
  if (mode === 'update') throw new LoomError('fhir.resource.id-missing', `${type} has neither id nor identifier to update by`, { location: `${type}.id`, hint: 'set id or identifier, or use mode create' });
  return { method: 'POST', url: `${base}/${type}`, headers: token ? { 'if-none-exist': `identifier=${token}` } : {} };
}

/** Readable text of an OperationOutcome (issue severity, code, diagnostics or details.text). */
export function operationOutcomeText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { resourceType?: string; issue?: Array<{ severity?: string; code?: string; diagnostics?: string; details?: { text?: string }; expression?: string[] }> };
    if (parsed.resourceType !== 'OperationOutcome' || !Array.isArray(parsed.issue)) return undefined;
    return parsed.issue
      .map((i) => `${i.severity ?? 'error'} ${i.code ?? ''}${i.expression?.length ? ` at ${i.expression.join(',')}` : ''}: ${i.diagnostics ?? i.details?.text ?? ''}`.trim())
      .join('; ');
  } catch {
    return undefined;
  }
}

/** Worst status of a batch-response Bundle's entries (`entry.response.status` is "201 Created"). */
export function worstEntryStatus(body: string): number | undefined {
  try {
    const parsed = JSON.parse(body) as { resourceType?: string; type?: string; entry?: Array<{ response?: { status?: string } }> };
    if (parsed.resourceType !== 'Bundle' || parsed.type !== 'batch-response') return undefined;
    const codes = (parsed.entry ?? []).map((e) => Number.parseInt(e.response?.status ?? '', 10)).filter(Number.isFinite);
    return codes.length ? Math.max(...codes) : undefined;
  } catch {
    return undefined;
  }
}
