// Pure mappings between codec trees / wire JSON and the canonical model. No I/O, no engine imports.
export { loadCrosswalkCsv, lookupCharge, lookupChargeByItem, translateCode, CROSSWALK_COLUMNS, type Crosswalk, type CrosswalkRow, type ChargeRow, type CodeRow, type CrosswalkRowError } from './crosswalk.js';
export { mapAdtDischarge, readEncounter, type DischargeEvent } from './hl7-adt-discharge.js';
export { mapDftCharges, type DftOptions, type DftResult, type ChargeEventEnvelope } from './hl7-dft-charges.js';
export { readHl7DeviceUses, mapHl7DeviceImplants, deviceImplantedEvent, type DeviceUseOptions } from './hl7-device-use.js';
export { mapHl7Procedures } from './hl7-procedures.js';
export { mapPatientMerge, applyPatientMerge, resolveMrn, rekeyCorrelation, type PatientKeyMap, type PatientMergedEvent } from './hl7-patient-merge.js';
export { mapInventoryConsumption, InventoryConsumptionInput } from './inventory-consumption.js';
export { mapFhirDeviceImplants, fhirChargeItemToCharge, fhirSupplyDeliveryToMovement } from './fhir-inbound.js';
export { procedureToFhir, deviceUseToFhirDevice, deviceUseToFhirProcedure, chargeToFhir, movementToSupplyDelivery, stableUuid } from './to-fhir.js';
export { patientToFhir, encounterToFhir, practitionerToFhir, locationToFhir, practitionerId, locationId, fhirIdentifier, humanName, type FhirMappingOptions, type EncounterRefs } from './to-fhir-person.js';
export { identifierSystems, defaultIdentifierSystem, IDENTIFIER_SYSTEMS_CROSSWALK, ASSIGNING_AUTHORITY, FHIR_IDENTIFIER_SYSTEM, type IdentifierSystemResolver } from './identifier-systems.js';
export { mapLabResults, mapOrders, type LabRefs } from './hl7-lab-to-fhir.js';
export { hl7ToFhirBundle, readPatient, type Hl7ToFhirOptions } from './hl7-to-fhir-bundle.js';
export { costPostingFromCharge, costPostedEvent, type CostPostingOptions } from './cost-posting.js';
export { costPostingToErpJournalEntry, purchaseOrderToErp, type ErpJournalEntry, type ErpPurchaseOrder } from './to-erpnext.js';
export { purchaseOrderTo850 } from './to-x12-850.js';
export { addDecimal, mulDecimal, negateDecimal, compareDecimal, normalizeDecimal } from './decimal.js';
export { codeSystemOf } from './code-systems.js';
