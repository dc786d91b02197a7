import type { Hl7Message } from '../codecs/hl7v2/index.js';
import type { EventOf } from '../canonical/index.js';
import { Procedure as ProcedureSchema } from '../canonical/index.js';
import { codeSystemOf } from './code-systems.js';
import { fieldMissing } from './errors.js';
import { eventTime, isoAt, opt, readMrn } from './hl7-read.js';

/**
 * PR1 segments → `procedure.completed`, one per PR1 (PR1-3 procedure code, PR1-5 date/time).
 * Ids are `<visit>/PR1[n]` like the `procedure` of a DeviceUse, so device and procedure correlate.
 *
 * @example
 * mapHl7Procedures(parseHl7v2(dft)).map((e) => e.data.code.code) // ['71045']
 */
export function mapHl7Procedures(msg: Hl7Message): EventOf<'procedure.completed'>[] {
  const visit = opt(msg, 'PV1-19.1');
  const mrn = readMrn(msg).mrn.value;
  const out: EventOf<'procedure.completed'>[] = [];
  const n = msg.count('PR1');
  for (let i = 1; i <= n; i++) {
    const at = i === 1 ? 'PR1' : `PR1[${i}]`;
    const code = opt(msg, `${at}-3.1`);
    if (code === undefined) throw fieldMissing(`${at}-3`, 'procedure code', 'send the procedure code in PR1-3 (CPT/HCPCS/SNOMED CWE)');
    const system = opt(msg, `${at}-3.3`);
    const display = opt(msg, `${at}-3.2`);
    const performedAt = isoAt(msg, `${at}-5`, 'procedure date/time');
    const data = ProcedureSchema.parse({
      id: `${visit ?? msg.controlId}/${at}`,
      code: { code, ...(system ? { system: codeSystemOf(system) } : {}), ...(display ? { display } : {}) },
      ...(performedAt ? { performedAt } : {}),
      ...(visit ? { encounter: visit } : {}),
      patientMrn: mrn,
      status: 'completed',
    });
    out.push({
      id: `procedure.completed/${data.id}`, type: 'procedure.completed', occurredAt: performedAt ?? eventTime(msg),
      correlation: { ...(visit ? { encounter: visit } : {}), patient: mrn }, version: 'v1', data,
    });
  }
  return out;
}
