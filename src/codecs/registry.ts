import { LoomError } from '../kernel/errors.js';
import { csvCodec } from './csv/index.js';
import { fhirCodec } from './fhir/index.js';
import type { FormatCodec, FormatName } from './format.js';
import { hl7v2Codec } from './hl7v2/index.js';
import { udiCodec } from './udi/index.js';
import { x12Codec } from './x12/index.js';

const codecs: Record<FormatName, FormatCodec<unknown>> = {
  hl7v2: hl7v2Codec as FormatCodec<unknown>,
  x12: x12Codec as FormatCodec<unknown>,
  udi: udiCodec as FormatCodec<unknown>,
  fhir: fhirCodec as FormatCodec<unknown>,
  csv: csvCodec as FormatCodec<unknown>,
};

/** The codec of a format, for callers that dispatch by name (CLI, engine, API). */
export function codecFor(format: FormatName): FormatCodec<unknown> {
  const codec = codecs[format];
  if (!codec) throw new LoomError('codec.format.unknown', `no codec for format "${format}"`);
  return codec;
}
