import { fieldName } from './hl7-fields.js';

/** One non-empty field of a decoded HL7 v2 segment, labelled for display. */
export interface Hl7Field {
  /** `PID-5` */
  ref: string;
  name: string;
  value: string;
}

export interface Hl7Segment {
  id: string;
  /** 1-based occurrence of this segment id in the message (OBX 1, OBX 2, ...). */
  occurrence: number;
  fields: Hl7Field[];
}

/**
 * Display decoder for HL7 v2 (ER7): splits segments and fields, labels each non-empty field with
 * its dictionary name. Deliberately tolerant: it shows what arrived, the engine's codec validates.
 *
 * @example
 * decodeHl7('MSH|^~\\&|EHR\rPID|1||123^^^H^MR||Doe^Jane')[1].fields[1].name; // "Patient Name"
 */
export function decodeHl7(text: string): Hl7Segment[] {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  // MSH-1 is the character right after "MSH"; every other segment uses the same separator.
  const sep = lines[0]?.startsWith('MSH') ? (lines[0][3] ?? '|') : '|';
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const parts = line.split(sep);
    const id = parts[0] ?? '';
    const occurrence = (seen.get(id) ?? 0) + 1;
    seen.set(id, occurrence);
    const fields: Hl7Field[] = [];
    if (id === 'MSH') {
      // MSH-1 is the separator itself, so parts[1] is MSH-2 (encoding characters).
      fields.push({ ref: 'MSH-1', name: fieldName('MSH', 1) ?? '', value: sep });
      parts.slice(1).forEach((value, i) => push(fields, id, i + 2, value));
    } else {
      parts.slice(1).forEach((value, i) => push(fields, id, i + 1, value));
    }
    return { id, occurrence, fields };
  });
}

function push(fields: Hl7Field[], seg: string, n: number, value: string): void {
  if (value === '') return;
  fields.push({ ref: `${seg}-${n}`, name: fieldName(seg, n) ?? '', value });
}
