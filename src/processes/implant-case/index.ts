/**
 * implant-case: EHR device documentation × inventory consumption → charge, ERP cost posting, stock issue.
 *
 * @example const p = implantCaseProcess({ catalog: processCatalogFrom(CATALOG) });
 */
export { implantCaseProcess, IMPLANT_CASE, WAIT_CONSUMPTION, WAIT_PROCEDURE, NO_PROCEDURE, type ImplantCaseConfig } from './process.js';
export { ImplantDestinations } from './effects.js';
export { deviceKeyOfConsumption, deviceKeyOfImplant, keyText, IMPLANT_CHARGE_PREFIX, type DeviceKey } from './keys.js';
export type { ImplantCaseState, CaseDevice, CaseConsumption } from './state.js';
