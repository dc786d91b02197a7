import { LoomError } from '../../kernel/errors.js';
import { parseYymmdd } from './dates.js';
import { aiLengthForPrefix, lookupAi } from './gs1-ai-table.js';
import { gs1CheckDigit, validateAiValue } from './gs1-values.js';
import type { Udi } from './types.js';

/** FNC1 as transmitted by scanners: ASCII 29, group separator. */
export const GS = '\x1d';

/** AIM symbology identifiers that announce GS1 element strings (ISO/IEC 15424). */
export const GS1_SYMBOLOGIES = new Set([']C1', ']e0', ']d2', ']Q3', ']J1']);
/** EAN/UPC: the data is the bare GTIN-13 or GTIN-8. */
const EAN_SYMBOLOGIES: Record<string, number> = { ']E0': 13, ']E4': 8 };

export type AiPair = [ai: string, value: string];

function syntax(message: string, location: string, hint?: string): LoomError {
  return new LoomError('udi.syntax', message, { location, hint });
}

/**
 * Splits a raw element string (FNC1 in first position already removed) into AIs, using the
 * AI-length-by-prefix table and predefined-length AIs (General Specifications 5.10.1).
 */
export function splitElementString(data: string, offset: number): AiPair[] {
  const pairs: AiPair[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === GS) { pos++; continue; } // a superfluous FNC1 is tolerated
    const at = `character ${offset + pos + 1}`;
    const prefix = data.slice(pos, pos + 2);
    const aiLen = /^\d\d$/.test(prefix) ? aiLengthForPrefix(prefix) : undefined;
    if (aiLen === undefined) throw syntax(`no GS1 AI starts with "${prefix}"`, at, 'check the AI table or a missing FNC1/GS separator');
    const ai = data.slice(pos, pos + aiLen);
    const spec = /^\d+$/.test(ai) && ai.length === aiLen ? lookupAi(ai) : undefined;
    if (!spec) throw syntax(`"${ai}" is not a complete GS1 AI`, at);
    pos += aiLen;
    let value: string;
    if (spec.predefined) {
      const len = spec.components.reduce((n, c) => n + c.max, 0);
      value = data.slice(pos, pos + len);
      if (value.length < len || value.includes(GS)) {
        throw syntax(`AI (${ai}) needs ${len} characters, found ${value.split(GS)[0]?.length ?? 0}`, `(${ai})`);
      }
    } else {
      const end = data.indexOf(GS, pos);
      value = data.slice(pos, end === -1 ? data.length : end);
    }
    pos += value.length;
    pairs.push([ai, value]);
  }
  if (pairs.length === 0) throw syntax('the element string holds no AIs', `character ${offset + 1}`);
  return pairs;
}

/** Parses `(01)09506000134352(17)201225(10)ABC`; `\(` is a literal parenthesis. */
export function splitBracketed(input: string): AiPair[] {
  const pairs: AiPair[] = [];
  let pos = 0;
  while (pos < input.length) {
    if (input[pos] !== '(') throw syntax('bracketed GS1 data must start with "(AI)"', `character ${pos + 1}`);
    const close = input.indexOf(')', pos);
    if (close === -1) throw syntax('an AI opened with "(" is not closed with ")"', `character ${pos + 1}`);
    const ai = input.slice(pos + 1, close);
    if (!/^\d{2,4}$/.test(ai)) throw syntax(`"(${ai})" is not an AI: 2 to 4 digits expected`, `character ${pos + 1}`);
    // 2-4 digit AIs outside the table are kept raw as X..90 (permitUnknownAIs behaviour)
    let value = '';
    pos = close + 1;
    while (pos < input.length && input[pos] !== '(') {
      if (input[pos] === '\\' && input[pos + 1] === '(') { value += '('; pos += 2; continue; }
      value += input[pos];
      pos++;
    }
    if (value.length === 0) throw syntax(`AI (${ai}) has an empty value`, `(${ai})`);
    pairs.push([ai, value]);
  }
  if (pairs.length === 0) throw syntax('no AIs found', 'character 1');
  return pairs;
}

/** Validates each AI value, then maps the AIs that UDI cares about. */
export function udiFromPairs(pairs: AiPair[], now: Date, symbology?: string): Udi {
  const ais: Record<string, string> = {};
  for (const [ai, value] of pairs) {
    const spec = lookupAi(ai, true);
    if (!spec) throw syntax(`unknown AI (${ai})`, `(${ai})`);
    validateAiValue(spec, value, now);
    if (!(ai in ais)) ais[ai] = value;
  }
  const udi: Udi = { issuer: 'GS1', di: ais['01'] ?? ais['00'] ?? '', ais };
  if (ais['01'] !== undefined) udi.gtin = ais['01'];
  if (ais['10'] !== undefined) udi.lot = ais['10'];
  if (ais['21'] !== undefined) udi.serial = ais['21'];
  // AI 17 expiration, AI 11 production date; day 00 = last day of month (yymmd0)
  if (ais['17'] !== undefined) udi.expiry = parseYymmdd(ais['17'], '(17)', now, true);
  if (ais['11'] !== undefined) udi.manufactured = parseYymmdd(ais['11'], '(11)', now, true);
  const count = ais['30'] ?? ais['37'];
  if (count !== undefined) udi.quantity = Number(count);
  if (symbology !== undefined) udi.symbology = symbology;
  return udi;
}

function eanPairs(digits: string, len: number, symbology: string): AiPair[] {
  if (!new RegExp(`^\\d{${len}}$`).test(digits)) {
    throw syntax(`${symbology} carries a GTIN-${len}: ${len} digits expected, found "${digits}"`, 'character 4');
  }
  return [['01', digits.padStart(14, '0')]];
}

/**
 * Parses GS1 data: bracketed HRI, raw element string (leading FNC1/GS, or none when it starts
 * with AI 01), or scanner data with an AIM symbology identifier; `|` joins a linear and a 2D
 * composite part.
 */
export function parseGs1(input: string, now: Date): Udi {
  if (input.startsWith('(')) return udiFromPairs(splitBracketed(input), now);
  const pairs: AiPair[] = [];
  let symbology: string | undefined;
  let offset = 0;
  for (const part of input.split('|')) {
    const sym = part.startsWith(']') ? part.slice(0, 3) : undefined;
    if (sym !== undefined) {
      symbology ??= sym;
      const body = part.slice(3);
      const eanLen = EAN_SYMBOLOGIES[sym];
      if (eanLen !== undefined) pairs.push(...eanPairs(body, eanLen, sym));
      else if (GS1_SYMBOLOGIES.has(sym)) {
        if (body.length === 0) throw syntax(`no GS1 data after the symbology identifier ${sym}`, `character ${offset + 4}`);
        pairs.push(...splitElementString(body.startsWith(GS) ? body.slice(1) : body, offset + 3));
      } else throw syntax(`"${sym}" is not a GS1 symbology identifier`, `character ${offset + 1}`, 'GS1 data uses ]C1, ]e0, ]d2, ]Q3, ]J1, ]E0 or ]E4');
    } else if (part.startsWith(GS)) {
      pairs.push(...splitElementString(part.slice(1), offset + 1));
    } else if (/^01\d{14}/.test(part)) {
      // Scanners configured without the symbology prefix drop the leading FNC1; accept it only
      // when the data starts with AI 01 so arbitrary text is not misread as AIs.
      pairs.push(...splitElementString(part, offset));
    } else {
      throw syntax('GS1 element strings start with FNC1 (GS), a symbology identifier or (AI)', `character ${offset + 1}`);
    }
    offset += part.length + 1;
  }
  return udiFromPairs(pairs, now, symbology);
}

/** True when the GTIN-14 check digit holds. */
export function isValidGtin(gtin: string): boolean {
  return /^\d{14}$/.test(gtin) && gs1CheckDigit(gtin.slice(0, 13)) === Number(gtin[13]);
}
