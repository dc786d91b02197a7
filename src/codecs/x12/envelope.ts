import { LoomError } from '../../kernel/errors.js';
import type { X12FunctionalGroup, X12Interchange, X12TransactionSet } from './types.js';

/** An envelope finding with the code a TA1 (TA105), AK9 (AK905) or AK5 (AK502) reports it by. */
export interface X12EnvelopeIssue {
  error: LoomError;
  /** TA105 note code for interchange-level problems. */
  ta1?: string;
  /** AK905 code for group-level problems. */
  ak9?: string;
  /** AK502 code for set-level problems. */
  ak5?: string;
}

function issue(code: string, message: string, location: string, hint: string, codes: Omit<X12EnvelopeIssue, 'error'>): X12EnvelopeIssue {
  return { error: new LoomError(code, message, { location, hint }), ...codes };
}

const at = (id: string, position: number, element: number): string => `${id} segment ${position} element ${element}`;

/** ISA/IEA checks: trailer present, IEA02 = ISA13, IEA01 = number of groups. */
export function checkInterchange(ic: X12Interchange): X12EnvelopeIssue[] {
  const out: X12EnvelopeIssue[] = [];
  if (!/^\d{9}$/.test(ic.controlNumber)) {
    out.push(issue('x12.envelope.control-invalid', `ISA13 "${ic.controlNumber}" is not a 9-digit control number`, 'ISA13', 'ISA13 is 9 digits, zero-padded', { ta1: '018' }));
  }
  const iea = ic.iea;
  if (!iea) {
    out.push(issue('x12.envelope.trailer-missing', 'the interchange has no IEA trailer', 'IEA', 'end the interchange with IEA*<groups>*<ISA13>', { ta1: '023' }));
    return out;
  }
  const ieaCount = iea.elements[0] ?? '';
  if (Number(ieaCount) !== ic.groups.length || ieaCount.trim() === '') {
    out.push(issue('x12.envelope.count-mismatch', `IEA01 says ${ieaCount || 'nothing'} groups but the interchange has ${ic.groups.length}: fix the count or the groups`,
      at('IEA', iea.position, 1), 'IEA01 is the number of GS/GE groups', { ta1: '021' }));
  }
  const iea02 = iea.elements[1] ?? '';
  if (iea02 !== ic.controlNumber) {
    out.push(issue('x12.envelope.control-mismatch', `IEA02 is "${iea02}" but ISA13 is "${ic.controlNumber}": make them equal`,
      at('IEA', iea.position, 2), 'IEA02 repeats ISA13', { ta1: '001' }));
  }
  return out;
}

/** GS/GE checks: trailer present, GE02 = GS06, GE01 = number of sets. */
export function checkGroup(group: X12FunctionalGroup): X12EnvelopeIssue[] {
  const out: X12EnvelopeIssue[] = [];
  const ge = group.ge;
  if (!ge) {
    out.push(issue('x12.envelope.trailer-missing', `the functional group GS segment ${group.gs.position} has no GE trailer`, `GS segment ${group.gs.position}`,
      'end the group with GE*<sets>*<GS06>', { ak9: '3' }));
    return out;
  }
  const count = ge.elements[0] ?? '';
  if (Number(count) !== group.sets.length || count.trim() === '') {
    out.push(issue('x12.envelope.count-mismatch', `GE01 says ${count || 'nothing'} transaction sets but the group has ${group.sets.length}: fix the count or the sets`,
      at('GE', ge.position, 1), 'GE01 is the number of ST/SE sets in the group', { ak9: '5' }));
  }
  const ge02 = ge.elements[1] ?? '';
  if (ge02 !== group.controlNumber) {
    out.push(issue('x12.envelope.control-mismatch', `GE02 is "${ge02}" but GS06 is "${group.controlNumber}": make them equal`,
      at('GE', ge.position, 2), 'GE02 repeats GS06', { ak9: '4' }));
  }
  return out;
}

/** ST/SE checks: trailer present, SE02 = ST02, SE01 = segments from ST to SE inclusive. */
export function checkSet(set: X12TransactionSet): X12EnvelopeIssue[] {
  const out: X12EnvelopeIssue[] = [];
  const se = set.se;
  if (!se) {
    out.push(issue('x12.envelope.trailer-missing', `the transaction set ST segment ${set.st.position} has no SE trailer`, `ST segment ${set.st.position}`,
      'end the set with SE*<segment count>*<ST02>', { ak5: '2' }));
    return out;
  }
  const count = se.elements[0] ?? '';
  if (Number(count) !== set.segments.length || count.trim() === '') {
    out.push(issue('x12.envelope.count-mismatch', `SE01 says ${count || 'nothing'} segments but the set has ${set.segments.length}: fix the count or the segments`,
      at('SE', se.position, 1), 'SE01 counts the segments from ST to SE inclusive', { ak5: '4' }));
  }
  const se02 = se.elements[1] ?? '';
  if (se02 !== set.controlNumber) {
    out.push(issue('x12.envelope.control-mismatch', `SE02 is "${se02}" but ST02 is "${set.controlNumber}": make them equal`,
      at('SE', se.position, 2), 'SE02 repeats ST02', { ak5: '3' }));
  }
  return out;
}
