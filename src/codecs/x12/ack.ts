import { buildX12Interchange, type X12EnvelopeOptions, type X12SetBody } from './build-envelope.js';
import { parseX12 } from './parse.js';
import type { X12Interchange } from './types.js';
import { analyzeX12, type X12GroupAnalysis } from './validate.js';

/** Numbers and time of the acknowledgement itself; sender and receiver come from the original, swapped. */
export interface X12AckOptions {
  /** ISA13 of the acknowledgement. */
  controlNumber: number | string;
  groupControlNumber?: number | string;
  setControlNumber?: number | string;
  /** ISO 8601 instant for ISA09/ISA10 and GS04/GS05. */
  timestamp: string;
  usage?: 'P' | 'T';
  lineBreaks?: boolean;
}

function swappedEnvelope(ic: X12Interchange, o: X12AckOptions, version: '004010' | '005010', versionCode: string): X12EnvelopeOptions {
  const e = ic.isa.elements;
  const gs = ic.groups[0]?.gs.elements;
  return {
    // ISA05/06 ↔ ISA07/08 and GS02 ↔ GS03: the acknowledgement goes back to the sender.
    senderQualifier: e[6], senderId: ic.receiverId, receiverQualifier: e[4], receiverId: ic.senderId,
    applicationSenderId: gs?.[2] ?? ic.receiverId, applicationReceiverId: gs?.[1] ?? ic.senderId,
    controlNumber: o.controlNumber, groupControlNumber: o.groupControlNumber, setControlNumber: o.setControlNumber,
    timestamp: o.timestamp, usage: o.usage ?? (e[14] === 'T' ? 'T' : 'P'), version, versionCode, lineBreaks: o.lineBreaks,
  };
}

function groupBody(g: X12GroupAnalysis, kind: '997' | '999'): string[][] {
  const segs: string[][] = [];
  const gs = g.group;
  segs.push(kind === '999' ? ['AK1', gs.functionalId, gs.controlNumber, gs.version] : ['AK1', gs.functionalId, gs.controlNumber]);
  let accepted = 0;
  for (const s of g.sets) {
    const st = s.set.st.elements;
    segs.push(kind === '999' && st[2] ? ['AK2', s.set.type, s.set.controlNumber, st[2]] : ['AK2', s.set.type, s.set.controlNumber]);
    for (const i of s.issues) {
      // AK3/IK3: segment id, position in set, loop id, syntax error code; AK4/IK4 element position and code.
      segs.push([kind === '999' ? 'IK3' : 'AK3', i.segmentId, String(i.positionInSet), i.loopId ?? '', i.segmentCode]);
      if (i.element) segs.push([kind === '999' ? 'IK4' : 'AK4', String(i.element.position), '', i.element.code, i.element.value ?? '']);
    }
    const codes = s.envelope.map((e) => e.ak5 ?? '').filter(Boolean);
    if (s.status !== 'A' && s.issues.length > 0) codes.push('5');
    if (s.status !== 'R') accepted++;
    segs.push([kind === '999' ? 'IK5' : 'AK5', s.status, ...[...new Set(codes)].slice(0, 5)]);
  }
  const groupCodes = g.envelope.map((e) => e.ak9 ?? '').filter(Boolean);
  const anyE = g.sets.some((s) => s.status === 'E');
  const status = groupCodes.length > 0 || (accepted === 0 && g.sets.length > 0) ? 'R' : accepted < g.sets.length ? 'P' : anyE ? 'E' : 'A';
  segs.push(['AK9', status, String(g.sets.length), String(g.sets.length), String(groupCodes.length > 0 ? 0 : accepted), ...groupCodes.slice(0, 5)]);
  return segs;
}

function buildFunctionalAck(ic: X12Interchange, o: X12AckOptions, kind: '997' | '999'): X12Interchange {
  const a = analyzeX12(ic);
  const sets: X12SetBody[] = a.groups.map((g) => ({
    type: kind, segments: groupBody(g, kind), implementationReference: kind === '999' ? '005010X231A1' : undefined,
  }));
  const env = kind === '999' ? swappedEnvelope(ic, o, '005010', '005010X231A1') : swappedEnvelope(ic, o, '004010', '004010');
  return buildX12Interchange('FA', sets, env);
}

/**
 * 997 functional acknowledgement (004010): one set per received group with AK1, AK2/AK3/AK4/AK5
 * per transaction set (A accepted, E accepted with errors noted, R rejected) and AK9.
 *
 * @example
 * serializeX12(build997(parseX12(text), { controlNumber: 1, timestamp: '2026-01-31T12:00:00Z' }));
 */
export function build997(interchange: X12Interchange, options: X12AckOptions): X12Interchange {
  return buildFunctionalAck(interchange, options, '997');
}

/**
 * 999 implementation acknowledgement (005010X231A1): like the 997 with IK3/IK4/IK5.
 *
 * @example
 * serializeX12(build999(parseX12(text), { controlNumber: 1, timestamp: '2026-01-31T12:00:00Z' }));
 */
export function build999(interchange: X12Interchange, options: X12AckOptions): X12Interchange {
  return buildFunctionalAck(interchange, options, '999');
}

/**
 * TA1 interchange acknowledgement. `code` is the TA105 note code (`000` no error, `001` ISA13/IEA02
 * mismatch, `021` group count, `023` premature end...); when omitted it comes from envelope validation.
 *
 * @example
 * serializeX12(buildTa1(parseX12(text), undefined, { controlNumber: 1, timestamp: '2026-01-31T12:00:00Z' }));
 */
export function buildTa1(interchange: X12Interchange, code: string | undefined, options: X12AckOptions): X12Interchange {
  const note = code ?? analyzeX12(interchange).envelope.find((i) => i.ta1)?.ta1 ?? '000';
  const env = swappedEnvelope(interchange, options, interchange.isaVersion >= '00501' ? '005010' : '004010', '');
  // Build a one-group interchange for the header, then keep only ISA + TA1 + IEA (TA1 has no GS).
  const shell = buildX12Interchange('FA', [], env);
  const d = shell.delimiters;
  const after = shell.isa.after;
  const isa = shell.isa.elements;
  const e = interchange.isa.elements;
  // TA101 ISA13, TA102 ISA09, TA103 ISA10, TA104 A accepted / R rejected, TA105 note code.
  const ta1 = ['TA1', interchange.controlNumber, e[8] ?? '', e[9] ?? '', note === '000' ? 'A' : 'R', note];
  const text = ['ISA', ...isa].join(d.element) + after + ta1.join(d.element) + after + ['IEA', '0', isa[12]].join(d.element) + after;
  return parseX12(text);
}
