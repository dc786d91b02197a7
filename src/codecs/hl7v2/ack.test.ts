import { describe, expect, it } from 'vitest';
import { ackModeOf, buildAck, hl7v2Codec, parseHl7v2, validateHl7v2 } from './index.js';

const ADT_A03 = 'MSH|^~\\&|LOOMEHR|NORTHWIND|LOOMENGINE|NW|20240301123000-0500||ADT^A03^ADT_A03|CTRL42|P|2.5.1\rEVN|A03\rPID|||1||DOE\rPV1|1|';

describe('buildAck golden', () => {
  it('original mode AE with an ERR per error (v2.5+: ERR-2/3/4/5/8)', () => {
    const msg = parseHl7v2(ADT_A03);
    expect(ackModeOf(msg)).toBe('original');
    const ack = buildAck(msg, 'AE', validateHl7v2(msg).errors, { controlId: 'ACK1', timestamp: '2024-03-01T12:30:05-05:00' });
    expect(ack).toBe(
      'MSH|^~\\&|LOOMENGINE|NW|LOOMEHR|NORTHWIND|20240301123005-0500||ACK^A03^ACK|ACK1|P|2.5.1\r' +
      'MSA|AE|CTRL42\r' +
      'ERR||PV1^1^2^1|101^Required field missing^HL70357|E|hl7.field.required|||PV1-2 is required for ADT\\S\\A03 but is empty (value PV1-2 in the sending system)\r');
    // the ACK itself is a valid ACK message
    expect(validateHl7v2(parseHl7v2(ack)).errors).toEqual([]);
  });

  it('enhanced mode turns AA into CA and asks for no further ACK', () => {
    const msg = parseHl7v2('MSH|^~\\&|LOOMEHR|NORTHWIND|LOOMENGINE|NW|20240301123000-0500||ADT^A01|CTRL43|P|2.5.1|||AL|NE');
    expect(ackModeOf(msg)).toBe('enhanced');
    expect(buildAck(msg, 'AA', [], { controlId: 'ACK2', timestamp: '2024-03-01T17:30:05Z' })).toBe(
      'MSH|^~\\&|LOOMENGINE|NW|LOOMEHR|NORTHWIND|20240301173005+0000||ACK^A01^ACK|ACK2|P|2.5.1|||NE|NE\rMSA|CA|CTRL43\r');
    expect(buildAck(msg, 'AE', [], { controlId: 'ACK3', timestamp: '2024-03-01T17:30:05Z', kind: 'application' })).toContain('\rMSA|AE|CTRL43\r');
  });

  it('uses the message own delimiters and ERR-1 before v2.5; derives the control id', () => {
    const msg = parseHl7v2('MSH*:#!@*LAB*F1*HIS*F2*200501011200**ORU:R01*77*P*2.3\rPID*1');
    const ack = buildAck(msg, 'AR', [{ code: 'hl7.segment.missing', message: 'OBR is missing', location: 'OBR' }], { timestamp: '2024-03-01T12:00:00Z' });
    expect(ack).toBe('MSH*:#!@*HIS*F2*LAB*F1*20240301120000+0000**ACK:R01*A77*P*2.3\rMSA*AR*77*OBR is missing\rERR*OBR:1::100@Segment sequence error@HL70357\r');
  });

  it('codec ack: AA for a valid message, AE with errors, AR when MSH is deficient', () => {
    const opts = { controlId: 'X', timestamp: '2024-03-01T12:00:00Z' };
    const ok = parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||ADT^A03|9|P|2.5\rEVN|A03|20240101\rPID|||1||DOE\rPV1||I||||||||||||||||V1||||||||||||||||||||||||||20240102');
    expect(hl7v2Codec.ack?.(ok, opts)).toContain('\rMSA|AA|9\r');
    expect(hl7v2Codec.ack?.(parseHl7v2(ADT_A03), opts)).toContain('\rMSA|AE|CTRL42\rERR|');
    expect(hl7v2Codec.ack?.(parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||ZZZ^Z01|5|P|2.5'), opts)).toContain('\rMSA|AA|5\r'); // no profile: MSH checked only
    expect(hl7v2Codec.ack?.(parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||ADT^A01|5|P|'), opts)).toMatch(/\rMSA\|AR\|5\rERR\|\|MSH\^1\^12\^1\|101\^/);
  });

  it('copies MSH-3..6, MSH-11/12 and MSH-18 raw (components, escapes) and leaves absent ones empty', () => {
    const opts = { controlId: 'K', timestamp: '2024-03-01T12:00:00Z' };
    const full = parseHl7v2('MSH|^~\\&|APP^1.2.3^ISO|FAC\\T\\X||RCV|20240101||ADT^A01|C1|P^T|2.5.1||||||UNICODE UTF-8\rEVN|A01');
    expect(buildAck(full, 'AA', [], opts)).toBe('MSH|^~\\&||RCV|APP^1.2.3^ISO|FAC\\T\\X|20240301120000+0000||ACK^A01^ACK|K|P^T|2.5.1||||||UNICODE UTF-8\rMSA|AA|C1\r');
    // a header cut short after MSH-10: MSH-11/12 empty, v2.5.1 ERR layout
    const short = parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||ADT^A01|C2');
    expect(buildAck(short, 'AE', [{ code: 'hl7.field.required', message: 'x', location: 'PID-5' }], opts))
      .toBe('MSH|^~\\&|C|D|A|B|20240301120000+0000||ACK^A01^ACK|K||\rMSA|AE|C2\rERR||PID^1^5^1|101^Required field missing^HL70357|E|hl7.field.required|||x\r');
  });

  it('answers each version in its own ERR layout when versions alternate (version checks are cached)', () => {
    const err = [{ code: 'hl7.segment.missing', message: 'OBR is missing', location: 'OBR' }];
    const opts = { controlId: 'K', timestamp: '2024-03-01T12:00:00Z' };
    const v23 = parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.3');
    const v251 = parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||ORU^R01|2|P|2.5.1');
    for (let i = 0; i < 3; i++) {
      expect(buildAck(v23, 'AR', err, opts)).toContain('\rMSA|AR|1|OBR is missing\rERR|OBR^1^^100&Segment sequence error&HL70357\r');
      expect(buildAck(v251, 'AR', err, opts)).toContain('\rMSA|AR|2\rERR||OBR^1|100^Segment sequence error^HL70357|E|');
    }
  });
});
