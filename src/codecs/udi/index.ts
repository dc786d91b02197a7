// UDI codec: GS1, HIBCC and ISBT 128 device identifiers. Pure: strings in, fields out.
export type { Udi, UdiIssuer, ParseUdiOptions } from './types.js';
export { parseUdi, getUdi, UDI_PATHS } from './parse.js';
export { formatGs1Hri, formatGs1ElementString, formatHibcc, formatHibccPair } from './format.js';
export type { Gs1Fields, HibccFields } from './format.js';
export { hibcCheckCharacter } from './hibcc.js';
export { gs1CheckDigit } from './gs1-values.js';
export { isValidGtin } from './gs1.js';
export { udiCodec } from './codec.js';
