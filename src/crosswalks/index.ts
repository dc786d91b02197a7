// Crosswalk tables as versioned data: drafts edited by analysts (API or CSV import), published
// versions immutable and effective-dated, served to the mappings by time.
export { openCrosswalkRepository, openPostgresCrosswalkRepository } from './repository.js';
export { crosswalkProvider, type CrosswalkProvider } from './provider.js';
export { rowKey, normalizeRow, diffRows, type CrosswalkDiff, type RowChange } from './rows.js';
export { CrosswalkCsvInvalid } from './errors.js';
export type { CrosswalkRepository, CrosswalkVersionInfo, CrosswalkVersionDetail, CrosswalkSummary, CrosswalkChange, RowEdit, ImportOptions, DraftOptions } from './types.js';
