// What each target runs on one input, under the oracle: a decoder step either returns or throws a
// LoomError with a location; anything else is a finding. Loaded in the fuzz worker only.
import { batchToJson, buildAck, messageToJson, parseHl7v2, parseHl7v2Batch, readHl7Header, validateHl7v2 } from '../../src/codecs/hl7v2/index.js';
import { MllpDecoder } from '../../src/codecs/mllp/index.js';
import { parseUdi } from '../../src/codecs/udi/index.js';
import { analyzeX12, parseX12, readX12Header, validateX12, x12ToJson } from '../../src/codecs/x12/index.js';
import { LoomError } from '../../src/kernel/errors.js';
import { Rng } from './mutate.js';
import type { HarnessName } from './targets.js';

export interface Finding { step: string; message: string; stack: string }
export interface Outcome { steps: number; rejected: string[]; finding?: Finding }

/** Runs steps of one input and records how each ended. */
export class Oracle {
  readonly outcome: Outcome = { steps: 0, rejected: [] };

  /** Run `fn`: a LoomError with a location is a rejection, any other throw a finding. */
  step<T>(name: string, fn: () => T): T | undefined {
    this.outcome.steps++;
    try {
      return fn();
    } catch (error) {
      if (error instanceof LoomError && typeof error.location === 'string' && error.location.length > 0) {
        this.outcome.rejected.push(error.code);
        return undefined;
      }
      if (this.outcome.finding === undefined) {
        const what = error instanceof LoomError ? `LoomError ${error.code} without a location: ${error.message}` : error instanceof Error ? `${error.name}: ${error.message}` : `non-Error thrown: ${String(error)}`;
        this.outcome.finding = { step: name, message: what, stack: error instanceof Error ? (error.stack ?? what) : what };
      }
      return undefined;
    }
  }
}

const NOW = new Date('2026-06-15T00:00:00Z');

function hl7(input: Uint8Array, o: Oracle): void {
  o.step('readHl7Header', () => readHl7Header(input));
  const msg = o.step('parseHl7v2', () => parseHl7v2(input));
  if (msg) {
    o.step('messageToJson', () => messageToJson(msg));
    o.step('validateHl7v2', () => validateHl7v2(msg));
    o.step('buildAck', () => buildAck(msg, 'AE', [{ code: 'fuzz', message: 'x', location: 'PID-3' }], { timestamp: NOW.toISOString() }));
  }
  const batch = o.step('parseHl7v2Batch', () => parseHl7v2Batch(input));
  if (batch) o.step('batchToJson', () => batchToJson(batch));
}

function x12(input: Uint8Array, o: Oracle): void {
  o.step('readX12Header', () => readX12Header(input));
  const ic = o.step('parseX12', () => parseX12(input));
  if (ic) {
    o.step('validateX12', () => validateX12(ic));
    o.step('analyzeX12', () => analyzeX12(ic));
    o.step('x12ToJson', () => x12ToJson(ic));
  }
}

function udi(input: Uint8Array, o: Oracle): void {
  o.step('parseUdi', () => parseUdi(input, { now: NOW }));
}

/** MLLP: the input is a byte stream; its first byte seeds how it is cut into socket chunks. */
function mllp(input: Uint8Array, o: Oracle): void {
  const rng = new Rng(input[0] ?? 0);
  const stream = Buffer.from(input.subarray(1));
  const decoder = new MllpDecoder({ maxFrameBytes: 1024, allowWhitespaceBetweenFrames: (input[0] ?? 0) % 7 !== 0 });
  let at = 0;
  while (at < stream.length) {
    const size = 1 + rng.below(rng.chance(0.5) ? 8 : 512);
    const chunk = stream.subarray(at, at + size);
    at += size;
    o.step('MllpDecoder.push', () => decoder.push(chunk)); // after a LoomError the decoder has reset itself: keep pushing
  }
  o.step('MllpDecoder.pending', () => decoder.pending());
}

/** Engine self-test: "HANG" loops forever, "BOOM" throws a TypeError, "NOLOC" a LoomError without a location. */
function selftest(input: Uint8Array, o: Oracle): void {
  const text = Buffer.from(input).toString('latin1');
  if (text.includes('HANG')) for (;;);
  if (text.includes('BOOM')) o.step('boom', () => { throw new TypeError('boom'); });
  if (text.includes('NOLOC')) o.step('noloc', () => { throw new LoomError('selftest.noloc', 'no location'); });
  o.step('parse', () => {
    if (text.startsWith('|')) throw new LoomError('selftest.reject', 'starts with |', { location: 'character 1' });
  });
}

export const HARNESSES: Record<HarnessName, (input: Uint8Array, o: Oracle) => void> = { hl7, x12, udi, mllp, selftest };

/** Run one input through a target. */
export function runInput(target: HarnessName, input: Uint8Array): Outcome {
  const o = new Oracle();
  HARNESSES[target](input, o);
  return o.outcome;
}
