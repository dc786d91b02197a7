import { isDeepStrictEqual } from 'node:util';
import { parseHl7v2 } from '../../codecs/hl7v2/index.js';
import { getFhir, parseFhir, type FhirResource } from '../../codecs/fhir/index.js';
import { getX12, parseX12 } from '../../codecs/x12/index.js';
import type { ExpectedMessage } from './fixture.js';

/** One mismatch, readable: where, what was expected, what came. */
export interface Mismatch {
  where: string;
  expected: string;
  actual: string;
}

const show = (v: unknown): string => (v === undefined ? '(absent)' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));

/** RFC 6901 JSON pointer. */
export function jsonPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return doc;
  let cur = doc;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** First differing line of two texts, for a short readable diff. */
export function textDiff(expected: string, actual: string): Mismatch[] {
  const a = expected.split(/\r\n|\r|\n/);
  const b = actual.split(/\r\n|\r|\n/);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return [{ where: `line ${i + 1}`, expected: show(a[i]), actual: show(b[i]) }];
  }
  return [];
}

/** Compare one delivered payload with its expectation; empty when it matches. */
export function checkMessage(payload: Uint8Array, expected: ExpectedMessage): Mismatch[] {
  const text = new TextDecoder().decode(payload);
  const out: Mismatch[] = [];
  if (expected.text !== undefined) out.push(...textDiff(expected.text, text));
  if (expected.json) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return [{ where: 'payload', expected: 'JSON', actual: show(text.slice(0, 80)) }];
    }
    for (const [pointer, want] of Object.entries(expected.json)) {
      const got = jsonPointer(doc, pointer);
      if (!isDeepStrictEqual(got, want)) out.push({ where: pointer, expected: show(want), actual: show(got) });
    }
  }
  if (expected.hl7) {
    const msg = parseHl7v2(text);
    for (const [path, want] of Object.entries(expected.hl7)) {
      const got = msg.get(path);
      if (got !== want) out.push({ where: path, expected: show(want), actual: show(got) });
    }
  }
  if (expected.x12) {
    const ic = parseX12(text);
    const set = ic.groups[0]?.sets[0];
    for (const [path, want] of Object.entries(expected.x12)) {
      const got = path === 'ISA08' ? ic.receiverId : path === 'ISA06' ? ic.senderId : set ? getX12(set, path) : undefined;
      if (got !== want) out.push({ where: path, expected: show(want), actual: show(got) });
    }
  }
  if (expected.fhirpath) {
    const resource = parseFhir(text) as FhirResource;
    for (const [expr, want] of Object.entries(expected.fhirpath)) {
      const got = getFhir(resource, expr);
      const wanted = typeof want === 'string' ? want : JSON.stringify(want);
      if (got !== wanted) out.push({ where: expr, expected: show(wanted), actual: show(got) });
    }
  }
  return out;
}
