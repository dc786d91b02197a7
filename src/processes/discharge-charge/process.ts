import type { ProcessCatalog } from '../catalog.js';
import { deviceKeyOfImplant, IMPLANT_CHARGE_PREFIX, keyText } from '../implant-case/keys.js';
import { defineProcess, type ApplyResult, type ProcessDefinition, type ProcessEvent, type WithSamples } from '../kernel/index.js';

export const DISCHARGE_CHARGE = 'discharge-charge';
export const SLA_DISCHARGE_TO_CHARGE = 'discharge-to-charge';

/** Completeness of implant charges for one encounter at discharge. */
export interface DischargeChargeState extends WithSamples {
  /** Implanted devices (implant-case key → label), from device.implanted. */
  devices: Record<string, string>;
  /** Device key → business time the implant-case charge was captured. */
  charged: Record<string, string>;
  dischargedAt?: string;
  dischargeEventId?: string;
  cancellations: number;
}

function encounterOf(event: ProcessEvent, catalog: ProcessCatalog): string | undefined {
  switch (event.type) {
    case 'encounter.discharged':
    case 'encounter.discharge-cancelled':
      return event.data.visitNumber.value;
    case 'device.implanted':
      return deviceKeyOfImplant(event, catalog)?.encounter;
    case 'charge.captured':
      return event.data.id.startsWith(IMPLANT_CHARGE_PREFIX) ? event.data.encounter ?? event.correlation.encounter : undefined;
    default:
      return undefined;
  }
}

/**
 * discharge-charge: `encounter.discharged` opens a completeness check: every implanted device of the
 * encounter must have its implant-case charge (fed by implant-case). Missing → exception listing
 * the devices; a late charge completes it. `encounter.discharge-cancelled` (ADT A13) withdraws the
 * check (status back to open): the patient is still in house, nothing was billed by the discharge
 * itself, so there is nothing to reverse. The discharge-to-charge time is kept as an SLA sample.
 *
 * @example const p = dischargeChargeProcess({ catalog });
 */
export function dischargeChargeProcess(config: { catalog: ProcessCatalog }): ProcessDefinition<DischargeChargeState> {
  const { catalog } = config;
  return defineProcess<DischargeChargeState>({
    name: DISCHARGE_CHARGE,
    correlate: (event) => encounterOf(event, catalog),
    initial: () => ({ devices: {}, charged: {}, cancellations: 0 }),
    apply: (prev, event) => {
      const state: DischargeChargeState = { ...prev, devices: { ...prev.devices }, charged: { ...prev.charged } };
      if (event.type === 'device.implanted') {
        const k = deviceKeyOfImplant(event, catalog);
        if (k) state.devices[keyText(k)] = `${k.item.replace(/^unknown:/, '')} lot ${k.lot || '-'} serial ${k.serial || '-'}`;
      } else if (event.type === 'charge.captured') {
        const c = event.correlation;
        const key = `${event.data.encounter ?? c.encounter}|${c.item ?? ''}|${c.lot ?? ''}|${c.serial ?? ''}`;
        if (!state.charged[key]) state.charged[key] = event.occurredAt;
      } else if (event.type === 'encounter.discharged') {
        state.dischargedAt = event.data.dischargedAt ?? event.occurredAt;
        state.dischargeEventId = event.id;
      } else if (event.type === 'encounter.discharge-cancelled') {
        // A13 names no discharge id: it cancels the current one, if any
        if (state.dischargedAt !== undefined) state.cancellations += 1;
        delete state.dischargedAt;
        delete state.dischargeEventId;
      }
      return evaluate(state);
    },
  });
}

function evaluate(state: DischargeChargeState): ApplyResult<DischargeChargeState> {
  if (state.dischargedAt === undefined) return { state, effects: [], status: 'open', waitingFor: 'waiting for discharge' };
  const missing = Object.keys(state.devices).filter((k) => state.charged[k] === undefined).sort();
  if (missing.length > 0) {
    return { state, effects: [], status: 'exception', waitingFor: `charges missing at discharge for ${missing.length} device(s): ${missing.map((k) => state.devices[k]).join('; ')}` };
  }
  const times = Object.keys(state.devices).map((k) => Date.parse(state.charged[k] ?? ''));
  const last = times.length ? Math.max(...times) : Date.parse(state.dischargedAt);
  const discharged = Date.parse(state.dischargedAt);
  if (!Number.isNaN(last) && !Number.isNaN(discharged) && !(state.samples ?? []).some((s) => s.measure === SLA_DISCHARGE_TO_CHARGE)) {
    // charges captured before discharge count as 0: the SLA measures how long billing waited after discharge
    const endedAt = new Date(Math.max(last, discharged)).toISOString();
    state.samples = [...(state.samples ?? []), { measure: SLA_DISCHARGE_TO_CHARGE, startedAt: state.dischargedAt, endedAt, durationMs: Math.max(0, last - discharged) }];
  }
  return { state, effects: [], status: 'completed' };
}
