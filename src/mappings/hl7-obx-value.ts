// OBX-5 observation value by OBX-2 value type → the Observation.value[x] the V2-to-FHIR IG's
// OBX[Observation] map names: NM Quantity, SN Quantity/Range/Ratio, ST/TX/FT string, CE/CWE
// CodeableConcept, DT/DTM/TS dateTime. Units from OBX-6, reference range from OBX-7.
import type { CodeableConcept, Observation, ObservationReferenceRange, Quantity } from '@medplum/fhirtypes';
import type { Hl7Message } from '../codecs/hl7v2/index.js';
import { hl7DateTimeToIso } from '../codecs/hl7v2/index.js';
import { codeSystemOf } from './code-systems.js';
import { fieldInvalid } from './errors.js';
import { opt } from './hl7-read.js';

type ObservationValue = Pick<Observation, 'valueQuantity' | 'valueString' | 'valueCodeableConcept' | 'valueDateTime' | 'valueRange' | 'valueRatio' | 'dataAbsentReason'>;

const UCUM = 'http://unitsofmeasure.org';
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A CWE/CE at `at` as a CodeableConcept (CWE-1..3 primary coding, CWE-4..6 alternate, CWE-9 original text). */
export function codeableConcept(msg: Hl7Message, at: string): CodeableConcept | undefined {
  const coding = [1, 4].flatMap((k) => {
    const code = opt(msg, `${at}.${k}`);
    if (code === undefined) return [];
    const display = opt(msg, `${at}.${k + 1}`);
    const system = opt(msg, `${at}.${k + 2}`);
    return [{ code, ...(display ? { display } : {}), ...(system ? { system: codeSystemOf(system) } : {}) }];
  });
  const text = opt(msg, `${at}.9`) ?? (coding.length === 0 ? opt(msg, `${at}.2`) : undefined);
  if (coding.length === 0 && text === undefined) return undefined;
  return { ...(coding.length > 0 ? { coding } : {}), ...(text ? { text } : {}) };
}

/** OBX-6 units (CWE): UCUM when CWE-3 says so (IG: system only for UCUM). */
function units(msg: Hl7Message, obx: string): Pick<Quantity, 'unit' | 'code' | 'system'> {
  const code = opt(msg, `${obx}-6.1`);
  if (code === undefined) return {};
  const text = opt(msg, `${obx}-6.2`);
  const system = opt(msg, `${obx}-6.3`)?.toUpperCase();
  const ucum = system === 'UCUM' || system === 'ANS+' || system === 'ISO+';
  return { unit: text ?? code, ...(ucum ? { code, system: UCUM } : {}) };
}

function numberAt(msg: Hl7Message, path: string, raw: string, what: string): number {
  if (!NUMBER.test(raw.trim())) throw fieldInvalid(path, what, raw, 'send a decimal number, e.g. 4.06 (use value type SN for "<5" or "1:128")');
  return Number(raw);
}

const COMPARATORS = new Set(['<', '<=', '>', '>=']);

/** SN: SN-1 comparator, SN-2 first number, SN-3 separator/suffix (`-` range, `:` or `/` ratio), SN-4 second number. */
function structuredNumeric(msg: Hl7Message, at: string, unit: Pick<Quantity, 'unit' | 'code' | 'system'>): ObservationValue {
  const comparator = opt(msg, `${at}.1`);
  const n1 = opt(msg, `${at}.2`);
  const sep = opt(msg, `${at}.3`);
  const n2 = opt(msg, `${at}.4`);
  if (sep === '-' && n1 !== undefined && n2 !== undefined) {
    return { valueRange: { low: { value: numberAt(msg, `${at}.2`, n1, 'range low'), ...unit }, high: { value: numberAt(msg, `${at}.4`, n2, 'range high'), ...unit } } };
  }
  if ((sep === ':' || sep === '/') && n1 !== undefined && n2 !== undefined) {
    return { valueRatio: { numerator: { value: numberAt(msg, `${at}.2`, n1, 'ratio numerator') }, denominator: { value: numberAt(msg, `${at}.4`, n2, 'ratio denominator') } } };
  }
  if (n1 === undefined) throw fieldInvalid(`${at}.2`, 'structured numeric', '', 'SN needs its number in component 2, e.g. <^5');
  const cmp = comparator === undefined || comparator === '=' ? undefined : comparator;
  if (cmp !== undefined && !COMPARATORS.has(cmp)) throw fieldInvalid(`${at}.1`, 'SN comparator', cmp, 'use <, <=, >, >= or =');
  return { valueQuantity: { value: numberAt(msg, `${at}.2`, n1, 'structured numeric'), ...(cmp ? { comparator: cmp as Quantity['comparator'] } : {}), ...unit } };
}

/**
 * OBX-5 (first repetition; TX/FT repetitions joined by line breaks) as Observation.value[x].
 * Unsupported value types (ED, RP, ...) give `dataAbsentReason: unsupported` rather than a guess.
 *
 * @example observationValue(msg, 'OBX[2]') // { valueQuantity: { value: 4.06, unit: 'tera.l-1' } }
 */
export function observationValue(msg: Hl7Message, obx: string): ObservationValue {
  const type = (opt(msg, `${obx}-2`) ?? '').toUpperCase();
  const at = `${obx}-5[1]`;
  const raw = opt(msg, at);
  if (raw === undefined) return {};
  switch (type) {
    case 'NM':
      return { valueQuantity: { value: numberAt(msg, at, raw, 'numeric result'), ...units(msg, obx) } };
    case 'SN':
      return structuredNumeric(msg, at, units(msg, obx));
    case 'ST':
      return { valueString: raw };
    case 'TX':
    case 'FT':
      return { valueString: msg.getAll(`${obx}-5`).join('\n') };
    case 'CE':
    case 'CWE':
    case 'CNE': {
      const cc = codeableConcept(msg, at);
      return cc ? { valueCodeableConcept: cc } : {};
    }
    case 'DT':
    case 'DTM':
    case 'TS':
      try {
        const iso = hl7DateTimeToIso(opt(msg, `${at}.1`) ?? raw) ?? '';
        return iso === '' ? {} : { valueDateTime: type === 'DT' ? iso.slice(0, 10) : iso };
      } catch (cause) {
        throw fieldInvalid(at, 'date/time result', raw, 'send YYYYMMDD[HHMM[SS]][+/-ZZZZ]', cause);
      }
    default:
      return { dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unsupported' }], text: `OBX-2 value type ${type || '(none)'} is not mapped` } };
  }
}

/** OBX-7 reference range: "3.5-5.0", "<5", ">10" become low/high with OBX-6 units; anything else is text. */
export function referenceRange(msg: Hl7Message, obx: string): ObservationReferenceRange[] | undefined {
  const text = opt(msg, `${obx}-7`);
  if (text === undefined) return undefined;
  const unit = units(msg, obx);
  const range = /^\s*([+-]?\d+(?:\.\d+)?)\s*-\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (range) return [{ low: { value: Number(range[1]), ...unit }, high: { value: Number(range[2]), ...unit }, text }];
  const bound = /^\s*(<|<=|>|>=)\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (bound) return [{ ...(bound[1]!.startsWith('<') ? { high: { value: Number(bound[2]), ...unit } } : { low: { value: Number(bound[2]), ...unit } }), text }];
  return [{ text }];
}
