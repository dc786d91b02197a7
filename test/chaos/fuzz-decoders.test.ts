// Fuzzing the wire decoders (HL7 v2, X12, UDI, MLLP framing) with fast-check: random bytes and
// mutations of valid messages. No crash, no hang (each input time-boxed), and every rejection is a
// LoomError that says where. 10k inputs per decoder in the default run, 100k with LOOM_CHAOS=long.
// Runbook exercised: docs/runbooks/vendor-bad-x12.md (a vendor's bad file must be a clear error)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHl7v2, readHl7Header } from '../../src/codecs/hl7v2/index.js';
import { MllpDecoder, encodeMllpFrame } from '../../src/codecs/mllp/index.js';
import { parseUdi } from '../../src/codecs/udi/index.js';
import { parseX12, readX12Header } from '../../src/codecs/x12/index.js';
import { LoomError } from '../../src/kernel/errors.js';
import { pick, report } from './support/mode.js';

const RUNS = pick(10_000, 100_000);
const TIME_BOX_MS = 1_000; // one input: these <1 KB inputs parse in microseconds; 1 s leaves room for GC on a loaded box

const HL7 = 'MSH|^~\\&|EHR|MAIN|LOOM|HOSP|20240101120000||ADT^A01|C1|P|2.5\rEVN|A01|20240101120000\rPID|1||MRN1^^^HOSP^MR~X2^^^B^PI||DOE^JANE\\S\\X||19800101|F\rPV1|1|I|4W^401^1||||||||||||||||V1\rOBX|1|TX|||line\\.br\\two\r';
const X12 = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*P*:~GS*IN*SENDER*RECEIVER*20240101*1200*1*X*005010~ST*810*0001~BIG*20240101*INV1***PO1~N1*ST*HOSPITAL~IT1*1*2*EA*10.00**VC*ITEM1~TDS*2000~SE*6*0001~GE*1*1~IEA*1*000000001~';
const UDIS = ['(01)00884838094581(17)251231(10)LOT1(21)SER1', '+H123PROD01/$$3251231LOT1/S SER1H', '01008848380945811725123110LOT1\u001d21SER1'];

/** A valid sample with random edits: insert, delete or replace characters. */
function mutated(sample: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }));
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let s = sample;
    for (const [at, kind, text] of edits) {
      const i = at % (s.length + 1);
      if (kind === 'insert') s = s.slice(0, i) + text + s.slice(i);
      else if (kind === 'delete') s = s.slice(0, i) + s.slice(i + text.length);
      else s = s.slice(0, i) + text + s.slice(i + text.length);
    }
    return s;
  });
}

function inputs(samples: string[]): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...samples.map(mutated)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 400, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) },
    { weight: 1, arbitrary: fc.constantFrom(...samples).map((s) => new TextEncoder().encode(s)).chain((b) => fc.nat(b.length).map((n) => b.slice(0, n))) },
  );
}

interface Tally { accepted: number; rejected: number; slowest: number; codes: Set<string> }

/** Run `decode` on one input: throws (failing the property) on a non-LoomError, a missing location or a hang. */
function check(decode: (input: string | Uint8Array) => unknown, input: string | Uint8Array, tally: Tally): void {
  const t0 = performance.now();
  try {
    decode(input);
    tally.accepted++;
  } catch (error) {
    if (!(error instanceof LoomError)) throw new Error(`not a LoomError: ${String(error)}`);
    if (!error.location) throw new Error(`LoomError ${error.code} without a location: ${error.message}`);
    tally.rejected++;
    tally.codes.add(error.code);
  } finally {
    const ms = performance.now() - t0;
    tally.slowest = Math.max(tally.slowest, ms);
    if (ms > TIME_BOX_MS) throw new Error(`took ${ms.toFixed(0)} ms (> ${TIME_BOX_MS} ms time box)`);
  }
}

function fuzz(name: string, arbitrary: fc.Arbitrary<string | Uint8Array>, decode: (input: string | Uint8Array) => unknown): void {
  it(`${name}: ${RUNS} inputs, no crash, no hang, LoomError with a location`, () => {
    const tally: Tally = { accepted: 0, rejected: 0, slowest: 0, codes: new Set() };
    fc.assert(fc.property(arbitrary, (input) => check(decode, input, tally)), { numRuns: RUNS });
    report(`fuzz ${name}`, { inputs: RUNS, accepted: tally.accepted, rejected: tally.rejected, 'slowest ms': tally.slowest.toFixed(2), 'error codes': [...tally.codes].sort().join(', ') });
    expect(tally.rejected).toBeGreaterThan(0); // the generator does reach the error paths
  }, pick(60_000, 900_000));
}

describe('chaos: decoder fuzzing', () => {
  fuzz('HL7 v2 parseHl7v2', inputs([HL7]), parseHl7v2);
  fuzz('HL7 v2 readHl7Header', inputs([HL7]), (i) => readHl7Header(typeof i === 'string' ? new TextEncoder().encode(i) : i));
  fuzz('X12 parseX12', inputs([X12]), parseX12);
  fuzz('X12 readX12Header', inputs([X12]), (i) => readX12Header(typeof i === 'string' ? new TextEncoder().encode(i) : i));
  fuzz('UDI parseUdi', inputs(UDIS), (i) => parseUdi(i));
  // MLLP: valid frames cut into random chunks with noise between them
  const stream = fc.tuple(inputs([HL7]), fc.array(fc.nat(64), { maxLength: 8 }), fc.uint8Array({ maxLength: 20 })).map(([payload, cuts, noise]) => {
    const framed = Buffer.concat([Buffer.from(noise), encodeMllpFrame(payload), encodeMllpFrame(HL7)]);
    const chunks: Uint8Array[] = [];
    let at = 0;
    for (const c of cuts) {
      chunks.push(framed.subarray(at, Math.min(framed.length, at + c + 1)));
      at = Math.min(framed.length, at + c + 1);
    }
    chunks.push(framed.subarray(at));
    return chunks;
  });
  it(`MLLP MllpDecoder: ${RUNS} chunked streams, no crash, no hang, LoomError with a location`, () => {
    const tally: Tally = { accepted: 0, rejected: 0, slowest: 0, codes: new Set() };
    fc.assert(fc.property(stream, (chunks) => {
      const decoder = new MllpDecoder({ maxFrameBytes: 4096 });
      let frames = 0;
      check(() => {
        for (const c of chunks) frames += decoder.push(Buffer.from(c)).length;
      }, '', tally);
      return frames >= 0;
    }), { numRuns: RUNS });
    report('fuzz MLLP MllpDecoder', { streams: RUNS, accepted: tally.accepted, rejected: tally.rejected, 'slowest ms': tally.slowest.toFixed(2), 'error codes': [...tally.codes].sort().join(', ') || '(none)' });
  }, pick(60_000, 900_000));
});
