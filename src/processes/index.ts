/**
 * Durable processes (EIP ProcessManager) and the estate's processes: implant-case, item-stock
 * (replenishment) and discharge-charge.
 *
 * @example
 * const pm = new ProcessManager({ store: await openSqliteProcessStore({ dataDir }), processes: [implantCaseProcess({ catalog })] });
 * registerProcessSteps(registry, pm);
 */
export * from './kernel/index.js';
export { processCatalogFrom, findCatalogItem, catalogCrosswalk, type ProcessCatalog, type ProcessCatalogItem, type CatalogLike } from './catalog.js';
export * from './implant-case/index.js';
export { itemStockProcess, replenishmentPoNumber, ITEM_STOCK, type ItemStockState } from './item-stock/process.js';
export { registerProcessSteps, processStep, processEffectStep, EFFECT_CONTENT_TYPE } from './engine/process-step.js';
export { dischargeChargeProcess, DISCHARGE_CHARGE, SLA_DISCHARGE_TO_CHARGE, type DischargeChargeState } from './discharge-charge/process.js';
