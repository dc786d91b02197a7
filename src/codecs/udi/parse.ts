import { LoomError } from '../../kernel/errors.js';
import { GS, GS1_SYMBOLOGIES, parseGs1 } from './gs1.js';
import { parseHibcc } from './hibcc.js';
import { parseIsbt128 } from './isbt128.js';
import type { ParseUdiOptions, Udi } from './types.js';

function decode(input: string | Uint8Array): string {
  // Scanners emit ASCII; latin1 keeps every byte as one character so positions stay exact.
  return typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
}

/**
 * Parses a UDI carrier's data (GS1, HIBCC or ISBT 128) into DI and PI fields.
 * @example parseUdi('(01)09506000134352(17)271200(10)LOT7').expiry // '2027-12-31'
 */
export function parseUdi(input: string | Uint8Array, options: ParseUdiOptions = {}): Udi {
  const now = options.now ?? new Date();
  const text = decode(input).replace(/^[\r\n]+|[\r\n]+$/g, '');
  if (text.length === 0) throw new LoomError('udi.syntax', 'the UDI is empty', { location: 'character 1' });
  if (text.startsWith(']')) {
    if (text.length < 3) throw new LoomError('udi.syntax', 'a symbology identifier is "]" plus two characters', { location: 'character 1' });
    const sym = text.slice(0, 3);
    const body = text.slice(3);
    // Non-GS1 identifiers (]C0, ]d1, ]Q1...) can carry HIBC or ISBT 128 data
    if (!GS1_SYMBOLOGIES.has(sym) && !sym.startsWith(']E')) {
      if (body.startsWith('+')) return { ...parseHibcc(body, now), symbology: sym };
      if (body.startsWith('=') || body.startsWith('&')) return { ...parseIsbt128(body), symbology: sym };
    }
    return parseGs1(text, now);
  }
  if (text.startsWith('(') || text.startsWith(GS) || /^01\d{14}/.test(text)) return parseGs1(text, now);
  if (text.startsWith('+')) return parseHibcc(text, now);
  if (text.startsWith('=') || text.startsWith('&')) return parseIsbt128(text);
  throw new LoomError('udi.syntax', 'not a recognised UDI: expected (AI), FNC1/GS, ]symbology, "+" (HIBC) or "=" (ISBT 128)', {
    location: 'character 1', hint: 'paste the scanner output as-is, including any leading ]C1/]d2 and GS characters',
  });
}

/** Paths `getUdi` understands. */
export const UDI_PATHS = ['di', 'gtin', 'lot', 'serial', 'expiry', 'manufactured', 'issuer', 'quantity', 'symbology'] as const;

/**
 * Reads one field of a parsed UDI; `ais.<AI>` (or `(17)`) reads a raw data element.
 * @example getUdi(parseUdi('(01)09506000134352(10)A1'), 'lot') // 'A1'
 */
export function getUdi(parsed: Udi, path: string): string | undefined {
  const raw = /^(?:ais\.|\()(\w+)\)?$/.exec(path);
  if (raw?.[1]) return parsed.ais[raw[1]];
  if (!(UDI_PATHS as readonly string[]).includes(path)) {
    throw new LoomError('udi.path.unknown', `"${path}" is not a UDI path`, { location: path, hint: `use one of ${UDI_PATHS.join(', ')} or ais.<AI>` });
  }
  const value = parsed[path as (typeof UDI_PATHS)[number]];
  return value === undefined || value === '' ? undefined : String(value);
}
