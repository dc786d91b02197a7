/**
 * The envelope every message carries through Loom, whatever its wire format.
 * EIP: CorrelationId ties a business case together (encounter, PO); causationId names
 * the message this one was derived from, so lineage is a chain of ids.
 */
export interface Envelope {
  /** Time-sortable unique id given at intake (see `newId`). */
  id: string;
  /** Business correlation: the id of the first message of the case unless a step sets one. */
  correlationId: string;
  /** The message this one was derived from (split, translate, replay). */
  causationId?: string;
  /** The system that sent it, e.g. `ehr` or MSH-3/MSH-4 `EPIC^MAIN`. */
  sourceSystem: string;
  channel: string;
  /** MIME type: `x-application/hl7-v2+er7`, `application/edi-x12`, `application/fhir+json`... */
  contentType: string;
  /** ISO 8601 instant of the durable commit. */
  receivedAt: string;
  headers: Record<string, string>;
}

/** Content types Loom knows by name. */
export const ContentTypes = {
  hl7v2: 'x-application/hl7-v2+er7',
  x12: 'application/edi-x12',
  fhir: 'application/fhir+json',
  json: 'application/json',
  csv: 'text/csv',
  text: 'text/plain',
} as const;
