export type PayloadKind = 'hl7v2' | 'x12' | 'json' | 'text';

/**
 * Which decoder to use for a payload: by content type first, then by the first bytes
 * (`MSH` is HL7 v2, `ISA`/`ST` is X12, `{` is JSON such as FHIR).
 *
 * @example
 * detectPayload('application/fhir+json', '{"resourceType":"Patient"}'); // 'json'
 */
export function detectPayload(contentType: string, text: string): PayloadKind {
  const ct = contentType.toLowerCase();
  if (ct.includes('hl7')) return 'hl7v2';
  if (ct.includes('x12') || ct.includes('edi')) return 'x12';
  if (ct.includes('json')) return 'json';
  const head = text.trimStart().slice(0, 3);
  if (head === 'MSH') return 'hl7v2';
  if (head === 'ISA' || head.startsWith('ST')) return 'x12';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  return 'text';
}
