export { parseMirthExport } from './parse.js';
export { assessMirthEstate, type AssessedInterface, type PortfolioAssessment, type Criticality } from './assess.js';
export { renderAssessmentMarkdown } from './report.js';
export { protocolOf, endpointAddress, type Protocol } from './endpoints.js';
export type { MirthChannel, MirthConnector, MirthEndpoint, MirthExport, MirthFinding, MirthStep } from './types.js';
export { catalogEntriesOf } from './catalog-entries.js';
