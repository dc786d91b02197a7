// The example hospital estate: its mappings, item master and in-process simulators.
export { ItemMaster, loadItemMaster, parseItemMasterCsv, type ItemMasterRow } from './item-master.js';
export { estateMappings, hl7ToEvents, fhirToDeviceImplanted, supplyConsumedToJournalEntry, EVENT_TRIGGERS, type EstateMappingOptions } from './mappings.js';
export { purchaseOrderToX12, envelope850, loadTradingPartners, TradingPartnersSchema, ReplenishmentOrderInput, type TradingPartners } from './replenishment.js';
export { readSimulatorsConfig, SimulatorsConfigSchema, type SimulatorsConfig } from './simulators-config.js';
export { startSimulatedEstate, reachable, type SimulatedEstate, type LoomEndpoints, type PlayProgress } from './simulated-estate.js';
export { startEstateProcesses, processCatalogFromItemMaster, nonImplantSupplies, type EstateProcesses } from './processes.js';
