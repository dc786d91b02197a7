import type { LoomErrorJson } from '../../kernel/errors.js';
import { encodingCharacters } from './delimiters.js';
import { encodeEscapes } from './escape.js';
import { isoToHl7DateTime } from './datetime.js';
import type { Hl7Message } from './message.js';
import { parseHl7Path } from './path.js';

export type Hl7AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';
export type Hl7AckMode = 'original' | 'enhanced';

/** An error to report in an ERR segment; severity defaults to E (error). */
export type Hl7AckError = LoomErrorJson & { severity?: 'E' | 'W' | 'I' };

export interface BuildAckOptions {
  /** MSH-10 of the ACK; default `A` + the original control id (20 characters at most before v2.7). */
  controlId?: string;
  /** ISO 8601 instant for MSH-7; default now. */
  timestamp?: string;
  /** In enhanced mode: an accept ACK (CA/CE/CR, default) or the later application ACK (AA/AE/AR). */
  kind?: 'accept' | 'application';
}

/**
 * Enhanced mode when MSH-15 or MSH-16 is valued, original mode when both are empty (v2 chapter 2.9).
 *
 * @example
 * ackModeOf(parseHl7v2('MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5|||AL|NE')) // 'enhanced'
 */
export function ackModeOf(msg: Hl7Message): Hl7AckMode {
  const accept = (msg.get('MSH-15') ?? '').trim();
  const app = (msg.get('MSH-16') ?? '').trim();
  return accept === '' && app === '' ? 'original' : 'enhanced';
}

// HL7 table 0357 message error condition codes.
const ERROR_CONDITION: Record<string, [string, string]> = {
  'hl7.segment.missing': ['100', 'Segment sequence error'],
  'hl7.segment.invalid': ['100', 'Segment sequence error'],
  'hl7.field.required': ['101', 'Required field missing'],
  'hl7.datetime.invalid': ['102', 'Data type error'],
  'hl7.profile.unknown': ['200', 'Unsupported message type'],
  'hl7.version.unsupported': ['203', 'Unsupported version id'],
};

/**
 * Build the ACK for a message: MSH with sender and receiver swapped, MSA, one ERR per error.
 * In enhanced mode AA/AE/AR become CA/CE/CR unless `kind: 'application'`. Uses the message's delimiters and version.
 *
 * @example
 * buildAck(msg, 'AE', report.errors, { controlId: 'ACK1', timestamp: '2024-03-01T12:00:00Z' })
 */
export function buildAck(msg: Hl7Message, code: Hl7AckCode, errors: readonly Hl7AckError[] = [], options: BuildAckOptions = {}): string {
  const d = msg.delimiters;
  const fs = d.field;
  // no MSH-12 to go by: answer in the current (v2.5+) ERR layout
  const version = msg.version === '' ? '2.5.1' : msg.version;
  const enhanced = ackModeOf(msg) === 'enhanced';
  const ackCode = enhanced && options.kind !== 'application' ? toAccept(code) : code;
  // MSH split once (not once per field read): index n is MSH-n, raw as sent. No closure here: this
  // runs once per ACK, and under tsx every closure creation also pays for a name definition.
  const mshIndex = msg.findSegment('MSH', 1);
  const f = mshIndex === -1 ? [] : msg.fields(mshIndex);
  const trigger = msg.get('MSH-9.2') ?? '';
  const structured = versionAtLeast(version, '2.3.1');
  const type = trigger === '' ? 'ACK' : structured ? `ACK${d.component}${encodeEscapes(trigger, d)}${d.component}ACK` : `ACK${d.component}${encodeEscapes(trigger, d)}`;
  const longIds = versionAtLeast(version, '2.7');
  const controlId = options.controlId ?? `A${msg.controlId}`.slice(0, longIds ? 199 : 20);
  const timestamp = isoToHl7DateTime(options.timestamp ?? new Date().toISOString());
  const msh = [
    'MSH', encodingCharacters(d),
    f[5] ?? '', f[6] ?? '', f[3] ?? '', f[4] ?? '', // MSH-3..6: receiver answers as sender
    timestamp, '', type, encodeEscapes(controlId, d),
    f[11] ?? '', f[12] ?? '', // MSH-11 processing id, MSH-12 version id
  ];
  if (enhanced) msh.push('', '', 'NE', 'NE'); // MSH-15/16: nobody acknowledges an acknowledgment
  const charset = f[18] ?? ''; // MSH-18 character set
  if (charset !== '') {
    while (msh.length < 17) msh.push('');
    msh.push(charset);
  }
  const segments = [msh.join(fs)];
  const msa = ['MSA', ackCode, encodeEscapes(msg.controlId, d)];
  // MSA-3 text message was withdrawn in v2.5 in favour of ERR-8
  if (!versionAtLeast(version, '2.5') && errors.length > 0) msa.push(encodeEscapes(errors[0].message, d));
  segments.push(msa.join(fs));
  if (errors.length > 0) {
    const esc = (s: string): string => encodeEscapes(s, d);
    for (const e of errors) segments.push(errSegment(e, version, d.field, d.component, d.subcomponent, esc));
  }
  return segments.join('\r') + '\r';
}

function errSegment(e: Hl7AckError, version: string, fs: string, cs: string, ss: string, esc: (s: string) => string): string {
  const [condition, text] = ERROR_CONDITION[e.code] ?? ['207', 'Application internal error'];
  const loc = locationParts(e.location);
  if (!versionAtLeast(version, '2.5')) {
    // ERR-1 (CM_ELD): segment ^ sequence ^ field ^ code&text&table
    return ['ERR', [...loc.slice(0, 3), [condition, text, 'HL70357'].join(ss)].map((p, i) => (i === 3 ? p : esc(p))).join(cs)].join(fs);
  }
  return [
    'ERR', '',
    loc.filter((p) => p !== '').length === 0 ? '' : loc.map(esc).join(cs).replace(new RegExp(`\\${cs}+$`), ''), // ERR-2 ERL
    [condition, text, 'HL70357'].join(cs), // ERR-3 HL7 error code
    e.severity ?? 'E', // ERR-4 severity
    esc(e.code), // ERR-5 application error code: the LoomError code
    '', '',
    esc(e.hint ? `${e.message} (${e.hint})` : e.message), // ERR-8 user message
  ].join(fs);
}

/** `OBX[2]-5[1].3` → ERL components segment, sequence, field, repetition, component, subcomponent. */
function locationParts(location: string | undefined): string[] {
  if (location === undefined) return ['', '', '', '', '', ''];
  try {
    const p = parseHl7Path(location);
    return [p.segment, String(p.segmentIndex), p.field ? String(p.field) : '', p.field ? String(p.repetition) : '',
      p.component ? String(p.component) : '', p.subcomponent ? String(p.subcomponent) : ''];
  } catch {
    return ['', '', '', '', '', ''];
  }
}

function toAccept(code: Hl7AckCode): Hl7AckCode {
  return code === 'AA' ? 'CA' : code === 'AE' ? 'CE' : code === 'AR' ? 'CR' : code;
}

/** Answers of versionAtLeast by `version|min`: a feed uses a handful of versions, the ACK path asks per message. */
const versionAnswers = new Map<string, boolean>();

/** Compare dotted versions numerically (`2.5.1` ≥ `2.5`). */
export function versionAtLeast(version: string, min: string): boolean {
  const key = `${version}|${min}`;
  let answer = versionAnswers.get(key);
  if (answer === undefined) {
    answer = compareVersions(version, min);
    if (versionAnswers.size >= 256) versionAnswers.clear(); // bounded: odd senders cannot grow it
    versionAnswers.set(key, answer);
  }
  return answer;
}

function compareVersions(version: string, min: string): boolean {
  const a = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
