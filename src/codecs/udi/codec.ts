import type { FormatCodec, ParseSummary, ValidationReport } from '../format.js';
import { getUdi, parseUdi } from './parse.js';
import type { Udi } from './types.js';

/** The UDI face for the CLI and engine: `loom parse label.txt`, `loom get label.txt lot`. */
export const udiCodec: FormatCodec<Udi> = {
  format: 'udi',
  detect(text: string): boolean {
    const t = text.trimStart();
    return t.startsWith(']') || /^\(\d{2,4}\)/.test(t) || /^(\x1d\d{2}|01\d{14})/.test(t) || /^\+([A-Z$]|\d{5})/.test(t) || /^=[<A-Z1-9]/.test(t);
  },
  parse: (input) => parseUdi(input),
  validate(): ValidationReport {
    // parseUdi already verified syntax, check digits/characters and dates
    return { errors: [], warnings: [] };
  },
  summarize(parsed: Udi): ParseSummary {
    return {
      format: 'udi',
      types: [parsed.issuer],
      controlIds: [parsed.di, parsed.serial].filter((v): v is string => typeof v === 'string' && v.length > 0),
      counts: { elements: Object.keys(parsed.ais).length },
      warnings: [],
    };
  },
  get: (parsed, path) => getUdi(parsed, path),
  toJson: (parsed) => parsed,
};
