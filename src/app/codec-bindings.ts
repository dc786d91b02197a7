import { parseFhir } from '../codecs/fhir/index.js';
import { parseHl7v2, readHl7Header, validateHl7v2 } from '../codecs/hl7v2/index.js';
import { parseX12, readX12Header, validateX12 } from '../codecs/x12/index.js';
import type { EngineOptions, MessageHeader } from '../engine/index.js';
import { ContentTypes, toLoomError, type LoomErrorJson } from '../kernel/index.js';

function parseErrors(validate: () => LoomErrorJson[], code: string): LoomErrorJson[] {
  try {
    return validate();
  } catch (err) {
    return [toLoomError(err, code).toJSON()];
  }
}

/**
 * The codecs the engine uses by content type: a cheap header read before the commit
 * (MSH / ISA-GS-ST), full validation for original-mode channels, full parse for steps.
 */
export const codecBindings: Pick<EngineOptions, 'headerReaders' | 'validators' | 'parsers'> = {
  headerReaders: {
    [ContentTypes.hl7v2]: (payload): MessageHeader => readHl7Header(payload),
    [ContentTypes.x12]: (payload): MessageHeader => {
      const header = readX12Header(payload);
      return { type: header.transactionTypes.join(','), controlId: header.controlNumber, version: header.version, sendingApp: header.senderId };
    },
  },
  // A payload that does not even parse is a validation error too: it must be journaled `rejected`
  // (stored, searchable, AR/AE to the sender), not thrown, which would store nothing.
  validators: {
    [ContentTypes.hl7v2]: (payload) => parseErrors(() => validateHl7v2(parseHl7v2(payload)).errors.map((e) => e.toJSON()), 'hl7.parse.failed'),
    [ContentTypes.x12]: (payload) => parseErrors(() => validateX12(parseX12(payload)).errors, 'x12.parse.failed'),
  },
  parsers: {
    [ContentTypes.hl7v2]: (payload) => parseHl7v2(payload),
    [ContentTypes.x12]: (payload) => parseX12(payload),
    [ContentTypes.fhir]: (payload) => parseFhir(payload),
  },
};
