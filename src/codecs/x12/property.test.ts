import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoomError } from '../../kernel/errors.js';
import { buildX12Interchange, parseX12, readX12Header, serializeX12, validateX12, x12Codec, x12ToJson, type X12SetBody } from './index.js';

const POOL = ['*', '|', '+', '!', '@', '#', '$', '%', '&', ';', ':', '~', '^', '`', '{', '}', '/', '?', '\u001d', '\u001f'];
const RESERVED = new Set(['ISA', 'IEA', 'GS', 'GE', 'ST', 'SE', 'TA1']);

const delimiters = fc
  .tuple(fc.shuffledSubarray(POOL, { minLength: 4, maxLength: 4 }), fc.boolean(), fc.constantFrom('004010' as const, '005010' as const), fc.boolean())
  .map(([[element, component, repetition, segment], newline, version, lineBreaks]) => ({
    element, component, repetition, segment: newline ? '\n' : segment, version, lineBreaks: newline ? false : lineBreaks,
  }));

const segmentId = fc.stringMatching(/^[A-Z][A-Z0-9]{1,2}$/).filter((id) => !RESERVED.has(id));

function body(d: { element: string; component: string; repetition: string; segment: string }): fc.Arbitrary<X12SetBody[]> {
  const bad = new Set([d.element, d.component, d.repetition, d.segment, '\r', '\n']);
  const value = fc.string({ maxLength: 8, unit: 'binary-ascii' }).filter((v) => ![...v].some((c) => bad.has(c)));
  const segment = fc.tuple(segmentId, fc.array(value, { maxLength: 6 })).map(([id, els]) => [id, ...els]);
  return fc.array(fc.record({ type: fc.constantFrom('850', '856', '810', '999'), segments: fc.array(segment, { minLength: 1, maxLength: 6 }) }), { minLength: 1, maxLength: 3 });
}

describe('x12 properties', () => {
  it('parse(serialize(x)) = x for generated interchanges with random delimiters', () => {
    fc.assert(
      fc.property(delimiters.chain((d) => fc.tuple(fc.constant(d), body(d), fc.integer({ min: 1, max: 999999999 }))), ([d, sets, control]) => {
        const x = buildX12Interchange('PO', sets, {
          senderId: 'S', receiverId: 'R', controlNumber: control, timestamp: '2026-01-31T00:00:00Z', ...d,
        });
        const text = serializeX12(x);
        const back = parseX12(text);
        expect(x12ToJson(back)).toEqual(x12ToJson(x));
        // Ground truth is the generated input, not another parse: every set body comes back as written
        // (trailing empty elements are dropped by the builder, as X12 requires).
        const trim = (seg: string[]): string[] => { let n = seg.length; while (n > 1 && seg[n - 1] === '') n--; return seg.slice(0, n); };
        expect(back.groups[0].sets.map((st) => st.segments.slice(1, -1).map((g) => [g.id, ...g.elements]))).toEqual(sets.map((st) => st.segments.map(trim)));
        expect(back.delimiters.element).toBe(d.element);
        expect(back.delimiters.segment).toBe(d.segment);
        expect(back.delimiters.repetition).toBe(d.version === '005010' ? d.repetition : undefined);
        expect(serializeX12(back)).toBe(text);
        const envelopeErrors = validateX12(back).errors.filter((e) => e.code.startsWith('x12.envelope'));
        expect(envelopeErrors).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('random input never throws anything but LoomError', () => {
    const isa = 'ISA*00*          *00*          *ZZ*S              *ZZ*R              *260131*0000*U*00401*000000001*0*P*>~';
    const input = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 200 }).map((s) => isa + s),
      fc.string({ maxLength: 120 }).map((s) => `ISA${s}`),
      fc.uint8Array({ maxLength: 200 }),
    );
    fc.assert(
      fc.property(input, (s) => {
        try {
          readX12Header(s);
        } catch (e) {
          if (!(e instanceof LoomError)) throw e;
        }
        try {
          const ic = parseX12(s);
          validateX12(ic);
          x12Codec.ack?.(ic, { controlId: '1', timestamp: '2026-01-31T00:00:00Z' });
        } catch (e) {
          if (!(e instanceof LoomError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
