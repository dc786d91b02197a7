import type { Hl7Message } from '../codecs/hl7v2/index.js';
import type { Encounter, EventOf } from '../canonical/index.js';
import { Encounter as EncounterSchema } from '../canonical/index.js';
import { typeUnsupported } from './errors.js';
import { eventTime, isoAt, opt, readLocation, readMrn, readVisitNumber } from './hl7-read.js';
import { readXcn } from './hl7-read-person.js';

export type DischargeEvent = EventOf<'encounter.discharged'> | EventOf<'encounter.discharge-cancelled'>;

/** Read the encounter (PV1) of an ADT message into the canonical Encounter. */
export function readEncounter(msg: Hl7Message, status: Encounter['status']): Encounter {
  const visitNumber = readVisitNumber(msg); // PV1-19 visit number
  const { mrn } = readMrn(msg); // PID-3 MR
  const dispositionCode = opt(msg, 'PV1-36.1') ?? opt(msg, 'PV1-36');
  const dispositionSystem = opt(msg, 'PV1-36.3');
  const dispositionText = opt(msg, 'PV1-36.2');
  const location = readLocation(msg); // PV1-3 assigned patient location
  // PV1-45 discharge date/time may repeat in v2.5+; the last repetition is the current one.
  const reps = Math.max(1, msg.repetitionCount('PV1-45'));
  const dischargedAt = isoAt(msg, reps > 1 ? `PV1-45[${reps}]` : 'PV1-45', 'discharge date/time');
  const admittedAt = isoAt(msg, 'PV1-44', 'admit date/time');
  const patientClass = opt(msg, 'PV1-2.1') ?? opt(msg, 'PV1-2');
  const attending = readXcn(msg, 'PV1-7[1]'); // PV1-7 attending doctor; the first repetition is the current one
  return EncounterSchema.parse({
    visitNumber,
    patientMrn: mrn.value,
    ...(patientClass ? { class: patientClass } : {}),
    status,
    ...(location ? { location } : {}),
    ...(admittedAt ? { admittedAt } : {}),
    ...(dischargedAt ? { dischargedAt } : {}),
    ...(attending ? { attending } : {}),
    ...(dispositionCode ? { disposition: { code: dispositionCode, ...(dispositionText ? { display: dispositionText } : {}), ...(dispositionSystem ? { system: dispositionSystem } : {}) } } : {}),
  });
}

/**
 * ADT^A03 (discharge) → `encounter.discharged`; ADT^A13 (cancel discharge) → `encounter.discharge-cancelled`.
 * The event id is derived from the visit number, the trigger and the discharge time, so a resent
 * message maps to the same id (idempotent receivers drop it).
 *
 * @example
 * const ev = mapAdtDischarge(parseHl7v2(text)); // ev.type === 'encounter.discharged'
 * ev.data.visitNumber.value // PV1-19.1
 */
export function mapAdtDischarge(msg: Hl7Message): DischargeEvent {
  const trigger = msg.type.split('^')[1] ?? '';
  if (!msg.type.startsWith('ADT^') || (trigger !== 'A03' && trigger !== 'A13')) {
    throw typeUnsupported('MSH-9', msg.type, ['ADT^A03', 'ADT^A13']);
  }
  const cancelled = trigger === 'A13';
  const encounter = readEncounter(msg, cancelled ? 'in-progress' : 'finished');
  const occurredAt = cancelled ? eventTime(msg) : encounter.dischargedAt ?? eventTime(msg);
  const correlation = { encounter: encounter.visitNumber.value, ...(encounter.patientMrn ? { patient: encounter.patientMrn } : {}) };
  const id = `${cancelled ? 'encounter.discharge-cancelled' : 'encounter.discharged'}/${encounter.visitNumber.value}/${occurredAt}`;
  if (cancelled) {
    // A13 reverses A03: the discharge time is void, the encounter is in progress again.
    const { dischargedAt: _void, ...rest } = encounter;
    return { id, type: 'encounter.discharge-cancelled', occurredAt, correlation, version: 'v1', data: rest };
  }
  return { id, type: 'encounter.discharged', occurredAt, correlation, version: 'v1', data: encounter };
}
