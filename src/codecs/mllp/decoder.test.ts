import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMllpFrame, MllpDecoder } from './index.js';

const text = (bufs: Buffer[]): string[] => bufs.map((b) => b.toString('utf8'));

describe('encodeMllpFrame', () => {
  it('wraps a payload in 0x0B ... 0x1C 0x0D', () => {
    expect([...encodeMllpFrame('AB')]).toEqual([0x0b, 0x41, 0x42, 0x1c, 0x0d]);
    expect([...encodeMllpFrame(new Uint8Array([1]))]).toEqual([0x0b, 1, 0x1c, 0x0d]);
  });
});

describe('MllpDecoder', () => {
  it('holds partial frames across pushes and counts pending bytes', () => {
    const dec = new MllpDecoder();
    const frame = encodeMllpFrame('MSH|^~\\&|A\rPID|1\r');
    expect(dec.push(frame.subarray(0, 5))).toEqual([]);
    expect(dec.pending()).toBe(4);
    expect(dec.push(frame.subarray(5, frame.length - 1))).toEqual([]); // ends on 0x1C: CR still to come
    expect(dec.pending()).toBe(frame.length - 2);
    expect(text(dec.push(frame.subarray(frame.length - 1)))).toEqual(['MSH|^~\\&|A\rPID|1\r']);
    expect(dec.pending()).toBe(0);
  });

  it('returns several frames from one chunk, in order', () => {
    const dec = new MllpDecoder();
    const chunk = Buffer.concat([encodeMllpFrame('one'), encodeMllpFrame(''), encodeMllpFrame('three'), encodeMllpFrame('fo').subarray(0, 2)]);
    expect(text(dec.push(chunk))).toEqual(['one', '', 'three']);
    expect(dec.pending()).toBe(1);
    expect(text(dec.push(Buffer.from([0x6f, 0x1c, 0x0d])))).toEqual(['fo']);
  });

  it('keeps frames intact when the socket reuses its buffer', () => {
    const dec = new MllpDecoder();
    const chunk = Buffer.concat([Buffer.from([0x0b]), Buffer.from('abc')]);
    dec.push(chunk);
    chunk.fill(0x58);
    expect(text(dec.push(Buffer.from([0x1c, 0x0d])))).toEqual(['abc']);
  });

  it('throws mllp.frame.too-large past maxFrameBytes, then recovers', () => {
    const dec = new MllpDecoder({ maxFrameBytes: 10 });
    expect(text(dec.push(encodeMllpFrame('0123456789')))).toEqual(['0123456789']);
    dec.push(Buffer.from([0x0b, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35]));
    // found by the coverage-guided fuzzer (npm run fuzz -- --target mllp): the error had no location
    expect(() => dec.push(Buffer.from('6789X'))).toThrow(expect.objectContaining({ code: 'mllp.frame.too-large', location: 'frame byte 11' }));
    expect(dec.pending()).toBe(0);
    expect(text(dec.push(encodeMllpFrame('ok')))).toEqual(['ok']);
  });

  it('rejects bytes outside a frame with a hint, tolerating line breaks between frames', () => {
    const dec = new MllpDecoder();
    expect(text(dec.push(Buffer.concat([encodeMllpFrame('a'), Buffer.from('\r\n'), encodeMllpFrame('b')])))).toEqual(['a', 'b']);
    let err: unknown;
    try {
      dec.push(Buffer.from('MSH|^~\\&|'));
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'mllp.frame.garbage', hint: expect.stringContaining('0x0B') });
    const strict = new MllpDecoder({ allowWhitespaceBetweenFrames: false });
    expect(() => strict.push(Buffer.from('\n'))).toThrow(expect.objectContaining({ code: 'mllp.frame.garbage' }));
  });

  it('any split of a frame stream yields the same frames', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 30 }).map((s) => s.replace(/[\x0b\x1c]/g, '')), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (payloads, cuts) => {
      const stream = Buffer.concat(payloads.map((p) => encodeMllpFrame(p)));
      const points = [...new Set(cuts.map((c) => (stream.length ? c % stream.length : 0)))].sort((a, b) => a - b);
      const dec = new MllpDecoder();
      const out: Buffer[] = [];
      let prev = 0;
      for (const p of [...points, stream.length]) {
        out.push(...dec.push(stream.subarray(prev, p)));
        prev = p;
      }
      expect(text(out)).toEqual(payloads);
      expect(dec.pending()).toBe(0);
    }), { numRuns: 300 });
  });
});
