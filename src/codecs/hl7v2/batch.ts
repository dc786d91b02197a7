import { LoomError } from '../../kernel/errors.js';
import { readDelimiters } from './delimiters.js';
import { splitSegments } from './fields.js';
import { Hl7Message } from './message.js';
import { inputToText, messageFromSegments } from './parse.js';

const ENVELOPE = new Set(['FHS', 'BHS', 'BTS', 'FTS']);

/** An HL7 batch file: the FHS/BHS/BTS/FTS envelope and the messages inside it. */
export class Hl7Batch {
  constructor(
    /** Envelope segments (FHS, BHS, BTS, FTS) readable with `get('FHS-9')`, `get('BTS-1')`; undefined for bare concatenated messages. */
    readonly envelope: Hl7Message | undefined,
    readonly messages: Hl7Message[],
  ) {}

  /** Serialize with CR terminators, envelope segments around the messages. */
  toString(): string {
    const env = this.envelope;
    if (env === undefined) return this.messages.map((m) => m.toString()).join('');
    const names = env.segmentNames();
    const head: string[] = [];
    const tail: string[] = [];
    names.forEach((n, i) => ((n === 'FHS' || n === 'BHS') ? head : tail).push(env.segmentText(i) ?? ''));
    return head.map((s) => s + '\r').join('') + this.messages.map((m) => m.toString()).join('') + tail.map((s) => s + '\r').join('');
  }
}

/**
 * Split an HL7 batch (FHS/BHS ... BTS/FTS, or plain concatenated messages) into messages.
 *
 * @example
 * const batch = parseHl7v2Batch(fileText);
 * batch.messages.map((m) => m.controlId);
 */
export function parseHl7v2Batch(input: string | Uint8Array): Hl7Batch {
  const segments = splitSegments(inputToText(input));
  const envelope: string[] = [];
  const messages: Hl7Message[] = [];
  let current: string[] | undefined;
  let currentStart = 0;
  const flush = (): void => {
    if (current !== undefined) messages.push(messageFromSegments(current, currentStart));
    current = undefined;
  };
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const name = seg.slice(0, 3);
    if (ENVELOPE.has(name)) {
      flush();
      envelope.push(seg);
    } else if (name === 'MSH') {
      flush();
      current = [seg];
      currentStart = i;
    } else if (current === undefined) {
      throw new LoomError('hl7.segment.unexpected', `segment ${i + 1} (${name}) is outside any message`, {
        location: `segment ${i + 1}`,
        hint: 'every segment of a batch belongs to a message that starts with MSH, or is FHS/BHS/BTS/FTS',
      });
    } else {
      current.push(seg);
    }
  }
  flush();
  if (messages.length === 0 && envelope.length === 0) {
    throw new LoomError('hl7.segment.missing', 'the input holds no HL7 segments', { location: 'segment 1', hint: 'an HL7 v2 message starts with MSH|^~\\&|' });
  }
  let env: Hl7Message | undefined;
  if (envelope.length > 0) {
    const header = envelope.find((s) => s.startsWith('FHS') || s.startsWith('BHS'));
    const d = header === undefined ? messages[0]?.delimiters : readDelimiters(header, `${header.slice(0, 3)}-2`);
    if (d === undefined) {
      throw new LoomError('hl7.segment.missing', 'the batch trailer has no FHS/BHS header and no message', { location: 'segment 1', hint: 'start the batch with FHS|^~\\&| or BHS|^~\\&|' });
    }
    env = new Hl7Message(envelope, d);
  }
  return new Hl7Batch(env, messages);
}
