/**
 * X12 trading partners: profiles, durable control numbers, inbound gap/duplicate checks, expected
 * 997/999 acknowledgements, and the engine steps that use them.
 *
 * @example
 * const partners = new PartnerService({ dataDir: '.loom', partners: profilesFromEstate(loadTradingPartners(file)) });
 * registerPartnerSteps(registry, partners);
 */
export {
  TradingPartnerProfileSchema, X12PartyIdSchema, parsePartnerProfile, profilesFromEstate,
  type TradingPartnerProfile, type TradingPartnerProfileInput, type EstateTradingPartners,
} from './profile.js';
export { PartnerService, type PartnerServiceOptions } from './service.js';
export { MAX_CONTROL_NUMBER, type OutboundControlNumbers, type InboundCheck } from './control-numbers.js';
export type { AckOutcome, AckStatus, ExpectedAck } from './acks.js';
export { openPartnerDb } from './db.js';
export type { PartnerStore, NewExpectedAck } from './store.js';
export { SqlitePartnerStore, openSqlitePartnerStore } from './sqlite-store.js';
export { PostgresPartnerStore, openPostgresPartnerStore } from './postgres-store.js';
export { registerPartnerSteps } from './steps.js';
