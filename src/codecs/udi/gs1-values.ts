import { LoomError } from '../../kernel/errors.js';
import { checkHour, checkMinuteOrSecond, parseYymmdd } from './dates.js';
import type { AiComponent, AiSpec } from './gs1-ai-table.js';
import { maxLength } from './gs1-ai-table.js';

// GS1 General Specifications figure 7.11-1 (CSET 82), 7.11-2 (CSET 39), 7.11-3 (CSET 64).
const CSET: Record<AiComponent['cset'], RegExp> = {
  N: /^[0-9]*$/,
  X: /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/,
  Y: /^[#\-/0-9A-Z]*$/,
  Z: /^[A-Za-z0-9\-_=]*$/,
};
const CSET_NAME: Record<AiComponent['cset'], string> = {
  N: 'digits only',
  X: 'GS1 CSET 82 (printable ASCII without space, #, $, @, [, \\, ], ^, `, {, |, }, ~)',
  Y: 'GS1 CSET 39 (# - / 0-9 A-Z)',
  Z: 'GS1 CSET 64 (A-Z a-z 0-9 - _ =)',
};

/** GS1 mod 10 check digit of the digits before the last (General Specifications 7.9.1). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const weight = (body.length - i) % 2 === 1 ? 3 : 1;
    sum += Number(body[i]) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

function syntax(message: string, location: string, hint?: string): LoomError {
  return new LoomError('udi.syntax', message, { location, hint });
}

/** Splits an AI value into its components; throws on a length mismatch. */
function splitComponents(spec: AiSpec, value: string): string[] {
  const where = `(${spec.ai})`;
  if (value.length === 0) throw syntax(`AI (${spec.ai}) has an empty value`, where, 'every AI needs data after it');
  if (value.length > maxLength(spec)) {
    throw syntax(`AI (${spec.ai}) value is ${value.length} characters, at most ${maxLength(spec)} allowed`, where,
      'a fixed-length AI ran into the next one, or a variable AI lacks its FNC1/GS separator');
  }
  const parts: string[] = [];
  let pos = 0;
  spec.components.forEach((c, i) => {
    const rest = value.length - pos;
    if (c.optional && rest === 0) return;
    const laterMin = spec.components.slice(i + 1).reduce((n, d) => n + (d.optional ? 0 : d.min), 0);
    const take = Math.min(c.max, rest - laterMin);
    if (take < c.min) {
      throw syntax(`AI (${spec.ai}) value "${value}" is too short (component ${i + 1} needs ${c.min === c.max ? c.min : `${c.min}-${c.max}`} characters)`,
        `${where} position ${pos + 1}`);
    }
    parts.push(value.slice(pos, pos + take));
    pos += take;
  });
  if (pos < value.length) throw syntax(`AI (${spec.ai}) value "${value}" is too long`, `${where} position ${pos + 1}`);
  return parts;
}

function runCheck(check: string, part: string, spec: AiSpec, offset: number, now: Date): void {
  const where = `(${spec.ai}) position ${offset + 1}`;
  switch (check) {
    case 'csum': {
      const expected = gs1CheckDigit(part.slice(0, -1));
      if (Number(part.at(-1)) !== expected) {
        throw new LoomError('udi.check-digit',
          `AI (${spec.ai}) check digit is ${part.at(-1)} but the digits before it give ${expected}`,
          { location: `(${spec.ai}) position ${offset + part.length}`, hint: 'retype or rescan the code; a misread digit changes the check digit' });
      }
      return;
    }
    case 'yymmdd':
    case 'yymmd0':
      parseYymmdd(part, `(${spec.ai})`, now, check === 'yymmd0');
      return;
    case 'hh': return checkHour(part, where);
    case 'mi': return checkMinuteOrSecond(part, where, 'minute');
    case 'ss': return checkMinuteOrSecond(part, where, 'second');
    case 'zero': if (part !== '0') throw syntax(`AI (${spec.ai}) needs 0 here, found ${part}`, where); return;
    case 'yesno': if (!/^[01]$/.test(part)) throw syntax(`AI (${spec.ai}) needs 0 or 1, found ${part}`, where); return;
    case 'winding': if (!/^[019]$/.test(part)) throw syntax(`AI (${spec.ai}) winding direction must be 0, 1 or 9, found ${part}`, where); return;
    case 'sex': if (!/^[0129]$/.test(part)) throw syntax(`AI (${spec.ai}) sex code must be 0, 1, 2 or 9 (ISO/IEC 5218), found ${part}`, where); return;
    case 'hyphen': if (part !== '-') throw syntax(`AI (${spec.ai}) needs "-" here, found ${part}`, where); return;
    case 'pcenc':
      if (/%(?![0-9A-Fa-f]{2})/.test(part)) throw syntax(`AI (${spec.ai}) has a bad percent escape; "%" must be followed by two hex digits`, where);
      return;
    default:
      throw new Error(`unknown GS1 check ${check}`);
  }
}

/** Validates an AI value against its spec: lengths, character sets, check digits, dates. */
export function validateAiValue(spec: AiSpec, value: string, now: Date): void {
  const parts = splitComponents(spec, value);
  let offset = 0;
  parts.forEach((part, i) => {
    const c = spec.components[i];
    if (!c) return;
    if (!CSET[c.cset].test(part)) {
      const bad = [...part].findIndex((ch) => !CSET[c.cset].test(ch));
      throw syntax(`AI (${spec.ai}) has "${part[bad]}" which is not allowed: ${CSET_NAME[c.cset]}`,
        `(${spec.ai}) position ${offset + bad + 1}`);
    }
    for (const check of c.checks) runCheck(check, part, spec, offset, now);
    offset += part.length;
  });
}
