import type { FormatName } from './format.js';

const formatNames: readonly FormatName[] = ['hl7v2', 'x12', 'udi', 'fhir', 'csv'];

export function isFormatName(value: string): value is FormatName {
  return (formatNames as readonly string[]).includes(value);
}

/**
 * Tell the format of an input from its first bytes (and the file name for CSV):
 * MSH/FHS/BHS → HL7 v2, ISA → X12, JSON with `resourceType` → FHIR, a symbology identifier,
 * `(01)`/`01` AI syntax or a leading `+`/`=` → UDI, `.csv` → CSV.
 *
 * @example detectFormat('MSH|^~\\&|EHR|...') // 'hl7v2'
 */
export function detectFormat(input: string | Uint8Array, fileName?: string): FormatName | undefined {
  const head = (typeof input === 'string' ? input.slice(0, 512) : Buffer.from(input.subarray(0, 512)).toString('latin1'))
    .replace(/^(\uFEFF|\xEF\xBB\xBF)/, '')
    .trimStart();
  if (/^(MSH|FHS|BHS)./.test(head)) return 'hl7v2';
  if (/^ISA./.test(head)) return 'x12';
  if (head.startsWith('{') && /"resourceType"\s*:/.test(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'))) {
    return 'fhir';
  }
  if (fileName?.toLowerCase().endsWith('.csv')) return 'csv';
  if (/^(\][A-Za-z]\d|\(\d{2,4}\)|01\d{14}|\x1d|[+=&])/.test(head)) return 'udi';
  return undefined;
}
