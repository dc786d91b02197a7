// Simulators of the hospital estate: real network peers (EHR, ERP, inventory, procurement, vendors)
// for demos, the `loom simulate` command and end-to-end tests.
export { createRng, type Rng } from './prng.js';
export { ScenarioClock, type ScenarioClockOptions } from './clock.js';
export { SimLog, INJECTED_KINDS, type SimLogEntry, type InjectedKind } from './sim-log.js';
export { CATALOG, SUPPLIERS, LOCATIONS, COST_CENTERS, HOSPITAL_X12_ID, findItem, hibccDi, unknownGtin, type CatalogItem, type CatalogSupplier } from './catalog.js';
export { startErpSimulator, type ErpSimulator, type ErpSimulatorOptions, type ErpStats, type ErpFault, type ErpFaultMode } from './erp/simulator.js';
export { ERP_DOCTYPES, type ErpDoc, type ErpDocType } from './erp/store.js';
