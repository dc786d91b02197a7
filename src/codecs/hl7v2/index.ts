// HL7 v2 codec: lazy parser, escapes, batches, profiles and validation, ACKs, cheap header read.
export { Hl7Message } from './message.js';
export { parseHl7v2, inputToText } from './parse.js';
export { Hl7Batch, parseHl7v2Batch } from './batch.js';
export { DEFAULT_DELIMITERS, readDelimiters, encodingCharacters, type Hl7Delimiters } from './delimiters.js';
export { decodeEscapes, encodeEscapes } from './escape.js';
export { parseHl7Path, formatHl7Path, type Hl7Path } from './path.js';
export { bytesToHl7Text } from './charset.js';
export { hl7DateTimeToIso, isoToHl7DateTime } from './datetime.js';
export { readHl7Header, type Hl7Header } from './header.js';
export { BUILT_IN_PROFILES, registerProfile, profileFor, listProfiles, type Hl7Profile, type Hl7SegmentRule } from './profiles.js';
export { validateHl7v2, type Hl7ValidationReport } from './validate.js';
export { buildAck, ackModeOf, versionAtLeast, type Hl7AckCode, type Hl7AckMode, type Hl7AckError, type BuildAckOptions } from './ack.js';
export { messageToJson, batchToJson, type Hl7MessageJson, type Hl7JsonField } from './json.js';
export { hl7v2Codec } from './codec.js';
