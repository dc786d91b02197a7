// MLLP framing (HL7 v2 over TCP): 0x0B payload 0x1C 0x0D.
export { encodeMllpFrame, MLLP_START, MLLP_END, MLLP_CR } from './frame.js';
export { MllpDecoder, type MllpDecoderOptions } from './decoder.js';
