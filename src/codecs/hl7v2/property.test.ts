// fast-check properties: round trips, and no input makes the codec throw anything but LoomError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLoomError } from '../../kernel/errors.js';
import { buildAck, decodeEscapes, encodeEscapes, hl7v2Codec, parseHl7v2, parseHl7v2Batch, readDelimiters, readHl7Header, validateHl7v2 } from './index.js';

const delimiterSet = fc.shuffledSubarray(['|', '^', '~', '\\', '&', '#', '*', '!', '@', '$', '%', ':', '+'], { minLength: 5, maxLength: 5 })
  .map((c) => `MSH${c[0]}${c[1]}${c[2]}${c[3]}${c[4]}`);

const value = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('', '""', 'DOE', 'a|b^c~d\\e&f', '\\H\\x\\N\\', 'line\nbreak'));
const segName = fc.constantFrom('PID', 'PV1', 'OBX', 'NTE', 'ZZ1');
const position = fc.record({
  seg: segName,
  field: fc.integer({ min: 1, max: 8 }),
  rep: fc.integer({ min: 1, max: 2 }),
  comp: fc.integer({ min: 0, max: 3 }),
  sub: fc.integer({ min: 0, max: 2 }),
});

function pathOf(p: { seg: string; field: number; rep: number; comp: number; sub: number }): string {
  return `${p.seg}-${p.field}${p.rep > 1 ? `[${p.rep}]` : ''}${p.comp ? `.${p.comp}` : ''}${p.comp && p.sub ? `.${p.sub}` : ''}`;
}

describe('properties', () => {
  it('parse(serialize(x)) = x for generated messages', () => {
    fc.assert(fc.property(delimiterSet, fc.array(fc.tuple(position, value), { maxLength: 12 }), (head, writes) => {
      const msg = parseHl7v2(`${head}${head[3]}APP${head[3]}FAC${head[3]}${head[3]}${head[3]}20240101${head[3]}${head[3]}ADT${head[4]}A01${head[3]}C1${head[3]}P${head[3]}2.5`);
      const last = new Map<string, string>();
      for (const [p, v] of writes) {
        if (msg.count(p.seg) === 0) msg.setRaw(`${p.seg}-1`, '1');
        msg.set(pathOf(p), v);
        last.set(pathOf(p), v);
      }
      const text = msg.toString();
      const again = parseHl7v2(text);
      expect(again.toString()).toBe(text);
      expect(again.segmentNames()).toEqual(msg.segmentNames());
      for (let i = 0; i < msg.segmentCount; i++) expect(again.fields(i)).toEqual(msg.fields(i));
      // the last write to a path that no later write overlapped reads back exactly
      const [lastP, lastV] = writes[writes.length - 1] ?? [];
      if (lastP !== undefined && lastV !== undefined) expect(again.get(pathOf(lastP))).toBe(lastV);
    }), { numRuns: 300 });
  });

  it('decodeEscapes(encodeEscapes(s)) = s for any string and delimiter set', () => {
    fc.assert(fc.property(delimiterSet, fc.string({ unit: 'binary', maxLength: 40 }), (head, s) => {
      const d = readDelimiters(head + head[3]);
      expect(decodeEscapes(encodeEscapes(s, d), d)).toBe(s);
    }), { numRuns: 500 });
  });

  const exercise = (input: string | Uint8Array): void => {
    const guard = (fn: () => unknown): void => {
      try {
        fn();
      } catch (e) {
        if (!isLoomError(e)) throw e;
      }
    };
    guard(() => readHl7Header(input));
    guard(() => parseHl7v2Batch(input));
    guard(() => {
      const parsed = hl7v2Codec.parse(input);
      hl7v2Codec.summarize(parsed);
      hl7v2Codec.toJson(parsed);
      hl7v2Codec.ack?.(parsed, { timestamp: '2024-01-01T00:00:00Z' });
      for (const p of ['MSH-9.1', 'PID-3[2].1', 'OBX[2]-5', 'PID-5.1.2', 'MSH-2']) hl7v2Codec.get(parsed, p);
    });
    guard(() => {
      const m = parseHl7v2(input);
      buildAck(m, 'AE', validateHl7v2(m).errors);
    });
  };

  it('random strings and bytes throw nothing but LoomError', () => {
    const header = fc.constantFrom('', 'MSH|^~\\&|', 'MSH|^~\\&#|', 'FHS|^~\\&|', 'MSH*:#!@*', '\uFEFFMSH|^~\\&|A|B|C|D|2024||ADT^A01|1|P|2.5\r');
    fc.assert(fc.property(header, fc.string({ unit: 'binary', maxLength: 200 }), (h, s) => exercise(h + s)), { numRuns: 1500 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => exercise(b)), { numRuns: 500 });
    const structured = fc.array(fc.oneof(fc.constantFrom('MSH|^~\\&|A|B|C|D|2024||ADT^A01|1|P|2.5|||||||8859/1', 'PID|1||X~Y||\\X41\\^B', 'OBX|', 'BTS|x', 'BHS|^~\\&', '\r', '\n'), fc.string({ maxLength: 10 })), { maxLength: 10 });
    fc.assert(fc.property(structured, (parts) => {
      exercise(parts.join('\r'));
      exercise(Buffer.from(parts.join('\n'), 'latin1'));
    }), { numRuns: 1000 });
  });
});
