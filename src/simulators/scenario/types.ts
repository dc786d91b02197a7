import type { InjectedKind } from '../sim-log.js';

/** A patient of the simulated day. */
export interface SimPatient {
  mrn: string;
  family: string;
  given: string;
  /** ISO date. */
  birthDate: string;
  sex: 'F' | 'M';
}

/** One implanted device with its UDI as printed on the label, in GS1 or HIBCC form. */
export interface SimImplant {
  sku: string;
  gtin: string;
  hibccDi?: string;
  lot: string;
  serial: string;
  /** ISO date. */
  expiry: string;
  form: 'GS1' | 'HIBCC';
  /** Where the EHR documents it: v2.8 PRT-10 under PR1, or an OBX whose OBX-3 is UDI. */
  carrier: 'PRT' | 'OBX';
  /** The UDI carrier string (GS1 HRI or HIBCC). */
  udi: string;
}

/** One surgical or cath-lab case: scheduled, admitted, operated, charged, discharged. */
export interface SimCase {
  caseId: string;
  patient: SimPatient;
  /** PV1-19 visit number = encounter id. */
  visitNumber: string;
  location: string;
  procedure: { code: string; display: string; system: 'CPT' };
  scheduledAt: string;
  admitAt: string;
  procedureAt: string;
  dischargeAt: string;
  /** A03 sent, then cancelled by A13, then a second A03 at `redischargeAt`. */
  dischargeCancelled?: { cancelAt: string; redischargeAt: string };
  implants: SimImplant[];
  supplies: { sku: string; quantity: number }[];
}

/** A consumption event as the inventory platform publishes it. */
export interface ConsumptionEvent {
  eventId: string;
  occurredAt: string;
  location: string;
  item: { gtin?: string; hibccDi?: string; sku?: string };
  lot?: string;
  serial?: string;
  quantity: number;
  uom: string;
  encounter?: string;
  patientMrn?: string;
}

export type EhrStage = 'scheduled' | 'admitted' | 'procedure' | 'charged' | 'discharged' | 'discharge-cancelled';

/** One step of the day's timeline, in simulated time order. */
export type TimelineStep =
  | { kind: 'hl7'; at: string; caseId: string; stage: EhrStage; messageType: string; controlId: string; message: string; injected?: InjectedKind }
  | { kind: 'consumption'; at: string; event: ConsumptionEvent; injected?: InjectedKind }
  | { kind: 'replenish'; at: string; location: string; sku: string; quantity: number; poNumber: string; injected?: InjectedKind };
