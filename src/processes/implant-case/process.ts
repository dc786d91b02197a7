import { compareDecimal, addDecimal, negateDecimal } from '../../mappings/index.js';
import { isLoomError } from '../../kernel/index.js';
import { findCatalogItem, type ProcessCatalog } from '../catalog.js';
import { defineProcess, type ApplyResult, type ProcessDefinition, type ProcessEvent } from '../kernel/index.js';
import { implantEffects } from './effects.js';
import { deviceKeyOfConsumption, deviceKeyOfImplant, keyText, type DeviceKey } from './keys.js';
import type { ImplantCaseState } from './state.js';

export interface ImplantCaseConfig {
  catalog: ProcessCatalog;
  /** A consumption without a procedure record for this long becomes `no procedure documented`. Default 4 h. */
  noProcedureAfterMs?: number;
  /** Allowed |ERP cost − contract price| per unit, decimal text. Default "0". */
  priceTolerance?: string;
}

export const IMPLANT_CASE = 'implant-case';
export const WAIT_CONSUMPTION = 'waiting for consumption event';
export const WAIT_PROCEDURE = 'waiting for procedure record';
export const NO_PROCEDURE = 'no procedure documented';

function keyOf(event: ProcessEvent, catalog: ProcessCatalog): DeviceKey | undefined {
  if (event.type === 'device.implanted') return deviceKeyOfImplant(event, catalog);
  if (event.type === 'supply.consumed') return deviceKeyOfConsumption(event, catalog);
  return undefined;
}

/**
 * implant-case: correlates the EHR's `device.implanted` with the inventory platform's `supply.consumed`
 * by encounter + GTIN (HIBCC DI mapped through the catalog) + lot + serial, in any order. When both
 * are in: charge, one ERP cost posting and the stock issue, each under a key derived from the device.
 *
 * @example
 * const p = implantCaseProcess({ catalog: processCatalogFrom(CATALOG) });
 */
export function implantCaseProcess(config: ImplantCaseConfig): ProcessDefinition<ImplantCaseState> {
  const { catalog } = config;
  const noProcedureAfterMs = config.noProcedureAfterMs ?? 4 * 3600_000;
  const tolerance = config.priceTolerance ?? '0';
  return defineProcess<ImplantCaseState>({
    name: IMPLANT_CASE,
    correlate: (event) => {
      const k = keyOf(event, catalog);
      return k ? keyText(k) : undefined;
    },
    initial: () => ({ charged: false, timedOut: false }),
    apply: (prev, event) => {
      const state: ImplantCaseState = { ...prev };
      const k = keyOf(event, catalog);
      if (k && !state.key) state.key = k;
      if (event.type === 'device.implanted' && !state.device) {
        const d = event.data;
        state.device = {
          eventId: event.id, occurredAt: event.occurredAt, issuer: d.issuer, ...(d.usedAt ? { usedAt: d.usedAt } : {}),
          ...(d.procedure ? { procedure: d.procedure } : {}), ...(d.procedureCode ? { procedureCode: d.procedureCode } : {}),
          ...(d.patientMrn ? { patientMrn: d.patientMrn } : {}),
        };
      } else if (event.type === 'supply.consumed' && !state.consumption) {
        const m = event.data;
        state.consumption = {
          eventId: event.id, movementId: m.id, occurredAt: m.occurredAt, location: m.location, quantity: m.quantity, uom: m.uom,
          ...(m.patientMrn ? { patientMrn: m.patientMrn } : {}),
        };
      } else if (event.type === 'process.timer' && state.consumption && !state.device) {
        state.timedOut = true;
      }
      return evaluate(state, catalog, noProcedureAfterMs, tolerance);
    },
  });
}

function evaluate(state: ImplantCaseState, catalog: ProcessCatalog, noProcedureAfterMs: number, tolerance: string): ApplyResult<ImplantCaseState> {
  const k = state.key;
  if (!k) return { state, effects: [], status: 'open' };
  if (state.charged) return { state, effects: [], status: 'completed' };
  const item = findCatalogItem(catalog, { gtin: k.item });
  if (!item) {
    return { state, effects: [], status: 'exception', waitingFor: `unknown GTIN ${k.item.replace(/^unknown:/, '')}: not in the item catalog; add the item to the item master (ERP) and replay` };
  }
  if (state.device && state.consumption) {
    if (item.erpCost !== undefined) {
      const diff = addDecimal(item.erpCost, negateDecimal(item.contractPrice), 6);
      const abs = diff.startsWith('-') ? diff.slice(1) : diff;
      if (compareDecimal(abs, tolerance) > 0) {
        return { state, effects: [], status: 'exception', waitingFor: `price off contract: ERP cost ${item.erpCost} vs contract ${item.contractPrice} ${catalog.currency} for ${item.sku}; correct the item price or the contract, then replay` };
      }
    }
    try {
      const effects = implantEffects(k, item, state.device, state.consumption, catalog);
      return { state: { ...state, charged: true }, effects, status: 'completed' };
    } catch (e) {
      if (!isLoomError(e)) throw e;
      return { state, effects: [], status: 'exception', waitingFor: `cost posting cannot be built: ${e.message}` };
    }
  }
  if (state.device) return { state, effects: [], status: 'waiting', waitingFor: WAIT_CONSUMPTION };
  if (state.consumption) {
    if (state.timedOut) return { state, effects: [], status: 'exception', waitingFor: `${NO_PROCEDURE} for ${item.sku} lot ${k.lot || '-'} serial ${k.serial || '-'} within ${Math.round(noProcedureAfterMs / 60_000)} min of consumption` };
    const dueAt = new Date(Date.parse(state.consumption.occurredAt) + noProcedureAfterMs).toISOString();
    return { state, effects: [], status: 'waiting', waitingFor: WAIT_PROCEDURE, dueAt };
  }
  return { state, effects: [], status: 'open' };
}
