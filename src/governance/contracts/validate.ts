import { z } from 'zod';
import { parseHl7v2 } from '../../codecs/hl7v2/index.js';
import { parseX12 } from '../../codecs/x12/index.js';
import { LoomError, toLoomError, type LoomErrorJson } from '../../kernel/errors.js';
import { Hl7ContractSchema, X12ContractSchema } from './shape.js';
import type { ContractVersion } from './types.js';

/** Checks one payload against a contract version; returns the violations, empty when it conforms. */
export type ContractCheck = (payload: Uint8Array) => LoomErrorJson[];

const decoder = new TextDecoder();
const label = (v: Pick<ContractVersion, 'name' | 'version'>) => `${v.name}@${v.version}`;
const violation = (v: Pick<ContractVersion, 'name' | 'version'>, location: string, message: string, hint: string): LoomErrorJson =>
  new LoomError('contract.violation', `${message} (contract ${label(v)})`, { location, hint }).toJSON();

/**
 * A checker for a contract version: JSON Schema (through zod's JSON Schema reader), Loom's HL7 v2
 * profile (segments present and repeated within max, required fields valued, repeats and lengths)
 * or Loom's X12 set (mandatory segments and elements, max use, element lengths). Compiled once per
 * version; the check itself does no I/O.
 *
 * @example contractCheck(version)(payload) // [{ code: 'contract.violation', location: 'PID-3', ... }]
 */
export function contractCheck(version: ContractVersion): ContractCheck {
  if (version.kind === 'json-schema') return jsonCheck(version);
  if (version.kind === 'hl7v2') return hl7Check(version);
  return x12Check(version);
}

function jsonCheck(version: ContractVersion): ContractCheck {
  const schema = z.fromJSONSchema(version.schema as Parameters<typeof z.fromJSONSchema>[0]);
  return (payload) => {
    let value: unknown;
    try {
      value = JSON.parse(decoder.decode(payload));
    } catch (error) {
      return [violation(version, '$', `the payload is not JSON: ${error instanceof Error ? error.message : String(error)}`, 'send a JSON document')];
    }
    const result = schema.safeParse(value);
    if (result.success) return [];
    return result.error.issues.map((issue) => violation(version, ['$', ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join(''), issue.message, 'fix the sender, or register a contract version that allows it'));
  };
}

function hl7Check(version: ContractVersion): ContractCheck {
  const doc = Hl7ContractSchema.parse(version.schema);
  return (payload) => {
    let msg: ReturnType<typeof parseHl7v2>;
    try {
      msg = parseHl7v2(payload);
    } catch (error) {
      return [toLoomError(error, 'contract.violation').toJSON()];
    }
    const out: LoomErrorJson[] = [];
    if (doc.message && msg.type !== doc.message && !msg.type.startsWith(`${doc.message}^`)) {
      out.push(violation(version, 'MSH-9', `message type ${msg.type || '(empty)'} is not ${doc.message}`, `this channel's contract is for ${doc.message}`));
    }
    for (const [seg, rule] of Object.entries(doc.segments)) {
      const n = msg.count(seg);
      if (n === 0 && rule.usage === 'R') out.push(violation(version, seg, `the ${seg} segment is required but missing`, `add ${seg} in the sending system`));
      if (rule.max !== '*' && n > rule.max) out.push(violation(version, seg, `${seg} occurs ${n} times, at most ${rule.max} allowed`, 'send one occurrence per message'));
      for (let occ = 1; occ <= n; occ += 1) {
        const at = n > 1 ? `${seg}[${occ}]` : seg;
        for (const [num, f] of Object.entries(rule.fields)) {
          const path = `${seg}[${occ}]-${Number(num)}`;
          const value = msg.get(path);
          if (f.usage === 'R' && (value === undefined || value.trim() === '')) out.push(violation(version, `${at}-${Number(num)}`, `${at}-${Number(num)} is required but empty`, `value ${seg}-${Number(num)} in the sending system`));
          const repeats = msg.repetitionCount(path);
          if (f.max !== '*' && repeats > f.max) out.push(violation(version, `${at}-${Number(num)}`, `${at}-${Number(num)} repeats ${repeats} times, at most ${f.max} allowed`, 'send fewer repetitions'));
          if (f.length !== undefined && value !== undefined && value.length > f.length) out.push(violation(version, `${at}-${Number(num)}`, `${at}-${Number(num)} is ${value.length} characters, at most ${f.length} allowed`, 'shorten the value at the source'));
        }
      }
    }
    return out;
  };
}

function x12Check(version: ContractVersion): ContractCheck {
  const doc = X12ContractSchema.parse(version.schema);
  return (payload) => {
    let interchange: ReturnType<typeof parseX12>;
    try {
      interchange = parseX12(payload);
    } catch (error) {
      return [toLoomError(error, 'contract.violation').toJSON()];
    }
    const sets = interchange.groups.flatMap((g) => g.sets).filter((s) => s.type === doc.set);
    if (sets.length === 0) return [violation(version, 'ST01', `no ${doc.set} transaction set in the interchange`, `this channel's contract is for X12 ${doc.set}`)];
    const out: LoomErrorJson[] = [];
    sets.forEach((set, i) => {
      const where = sets.length > 1 ? `ST ${set.controlNumber} ` : '';
      for (const [seg, rule] of Object.entries(doc.segments)) {
        const found = set.segments.filter((s) => s.id === seg);
        if (found.length === 0 && rule.req === 'M') out.push(violation(version, `${where}${seg}`, `the ${seg} segment is mandatory but missing in set ${i + 1}`, `add ${seg} to the ${doc.set}`));
        if (rule.max !== '*' && found.length > rule.max) out.push(violation(version, `${where}${seg}`, `${seg} is used ${found.length} times, at most ${rule.max} allowed`, 'check the loop structure'));
        for (const s of found) {
          for (const [num, e] of Object.entries(rule.elements)) {
            const value = s.elements[Number(num) - 1] ?? '';
            if (e.req === 'M' && value === '') out.push(violation(version, `${where}${seg}${num}`, `${seg}${num} is mandatory but empty`, `value ${seg}${num} in the sending system`));
            if (e.max !== undefined && value.length > e.max) out.push(violation(version, `${where}${seg}${num}`, `${seg}${num} is ${value.length} characters, at most ${e.max} allowed`, 'shorten the value at the source'));
          }
        }
      }
    });
    return out;
  };
}
