import { encodingCharacters, type Hl7Delimiters } from './delimiters.js';
import { decodeEscapes } from './escape.js';
import type { Hl7Message } from './message.js';
import type { Hl7Batch } from './batch.js';

/**
 * JSON tree of a message (`loom convert --to json`), compact but unambiguous:
 * - `segments[i].fields[n-1]` is field n (for MSH, `fields[0]` is MSH-1 and `fields[1]` MSH-2 as written);
 * - a field is a repetition, or `{ repetitions: [...] }` when it repeats;
 * - a repetition is a decoded string when it has a single component without subcomponents,
 *   else an array of components; a component is a string, or an array of subcomponent strings;
 * - the explicit null `""` is JSON `null`.
 */
export type Hl7JsonLeaf = string | null;
export type Hl7JsonComponent = Hl7JsonLeaf | Hl7JsonLeaf[];
export type Hl7JsonRepetition = Hl7JsonLeaf | Hl7JsonComponent[];
export type Hl7JsonField = Hl7JsonRepetition | { repetitions: Hl7JsonRepetition[] };

export interface Hl7MessageJson {
  type: string;
  controlId: string;
  version: string;
  delimiters: string;
  segments: { name: string; fields: Hl7JsonField[] }[];
}

/** The JSON tree of one message. */
export function messageToJson(msg: Hl7Message): Hl7MessageJson {
  const d = msg.delimiters;
  const segments: Hl7MessageJson['segments'] = [];
  for (let i = 0; i < msg.segmentCount; i++) {
    const raw = msg.fields(i);
    const name = raw[0];
    const header = name === 'MSH' || name === 'FHS' || name === 'BHS';
    const fields = raw.slice(1).map((f, k) => (header && k < 2 ? f : fieldToJson(f, d)));
    segments.push({ name, fields });
  }
  return { type: msg.type, controlId: msg.controlId, version: msg.version, delimiters: d.field + encodingCharacters(d), segments };
}

/** The JSON tree of a batch: envelope segments and each message. */
export function batchToJson(batch: Hl7Batch): { envelope: Hl7MessageJson['segments']; messages: Hl7MessageJson[] } {
  return {
    envelope: batch.envelope === undefined ? [] : messageToJson(batch.envelope).segments,
    messages: batch.messages.map(messageToJson),
  };
}

function fieldToJson(f: string, d: Hl7Delimiters): Hl7JsonField {
  const reps = f.split(d.repetition);
  return reps.length === 1 ? repToJson(reps[0], d) : { repetitions: reps.map((r) => repToJson(r, d)) };
}

function repToJson(r: string, d: Hl7Delimiters): Hl7JsonRepetition {
  const comps = r.split(d.component);
  if (comps.length === 1 && comps[0].indexOf(d.subcomponent) === -1) return leaf(comps[0], d);
  return comps.map((c) => {
    const subs = c.split(d.subcomponent);
    return subs.length === 1 ? leaf(c, d) : subs.map((s) => leaf(s, d));
  });
}

function leaf(s: string, d: Hl7Delimiters): Hl7JsonLeaf {
  return s === '""' ? null : decodeEscapes(s, d);
}
