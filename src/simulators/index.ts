// Simulators of the hospital estate: real network peers (EHR, ERP, inventory, procurement, vendors)
// for demos, the `loom simulate` command and end-to-end tests.
export { createRng, type Rng } from './prng.js';
export { ScenarioClock, type ScenarioClockOptions } from './clock.js';
export { SimLog, INJECTED_KINDS, type SimLogEntry, type InjectedKind } from './sim-log.js';
export { CATALOG, SUPPLIERS, LOCATIONS, COST_CENTERS, HOSPITAL_X12_ID, GL_ACCOUNTS, findItem, hibccDi, unknownGtin, catalogCrosswalkCsv, type CatalogItem, type CatalogSupplier } from './catalog.js';
export { startErpSimulator, type ErpSimulator, type ErpSimulatorOptions, type ErpStats, type ErpFault, type ErpFaultMode } from './erp/simulator.js';
export { ERP_DOCTYPES, type ErpDoc, type ErpDocType } from './erp/store.js';
export { startEhrSimulator, type EhrSimulator, type EhrSimulatorOptions, type EhrStats } from './ehr/simulator.js';
export { MllpSender, parseMllpUrl, type MllpTarget, type SendResult, type MllpSenderOptions } from './ehr/mllp-sender.js';
export { buildAdt, buildSiu, buildDft, buildProcedure, buildMalformed, chargeLines, type DftLine } from './ehr/messages.js';
export type { SimCase, SimPatient, SimImplant, ConsumptionEvent, TimelineStep, EhrStage } from './scenario/types.js';
export { generateDay, type GenerateDayOptions, type ScenarioDay } from './scenario/generate.js';
export { computeExpected, type ExpectedTotals } from './scenario/expected.js';
export { startInventorySimulator, type InventorySimulator, type InventorySimulatorOptions, type InventoryStats, type InventoryAmqpTarget } from './inventory/simulator.js';
export { startVendorSimulator, type VendorSimulator, type VendorSimulatorOptions, type VendorStats } from './vendor/simulator.js';
export { read850, build855, type ReceivedPo, type ReceivedPoLine } from './vendor/x12-docs.js';
export { startProcurementSimulator, type ProcurementSimulator, type ProcurementSimulatorOptions, type ProcurementPo, type Requisition, type PoLine } from './procurement/simulator.js';
export { startMllpSink } from './ehr/sink.js';
export { runScenarioDay, type RunScenarioOptions, type ScenarioRun, type ScenarioTargets } from './scenario/run.js';
export { runSimulator, simulateOptionsFromFlags, SIMULATE_FLAGS, SIMULATOR_NAMES, type SimulateOptions, type RunningSimulator, type SimulatorName } from './cli.js';
