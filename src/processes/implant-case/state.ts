import type { Code } from '../../canonical/index.js';

/** What the EHR documented about the device (device.implanted). */
export interface CaseDevice {
  eventId: string;
  occurredAt: string;
  usedAt?: string;
  procedure?: string;
  procedureCode?: Code;
  patientMrn?: string;
  issuer: string;
}

/** What the inventory platform reported (supply.consumed). */
export interface CaseConsumption {
  eventId: string;
  movementId: string;
  occurredAt: string;
  location: string;
  quantity: string;
  uom: string;
  patientMrn?: string;
}

/** State of one implant case. Order-independent by construction: each side is set once, from its first event. */
export interface ImplantCaseState {
  key?: { encounter: string; item: string; lot: string; serial: string };
  device?: CaseDevice;
  consumption?: CaseConsumption;
  charged: boolean;
  /** The no-procedure timer fired while the documentation was missing. */
  timedOut: boolean;
}
