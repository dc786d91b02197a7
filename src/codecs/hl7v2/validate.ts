import { LoomError } from '../../kernel/errors.js';
import type { Hl7Message } from './message.js';
import { MSH_RULE, profileFor, type Hl7SegmentRule } from './profiles.js';

export interface Hl7ValidationReport {
  errors: LoomError[];
  warnings: LoomError[];
}

/**
 * Check a message against MSH rules and the profile of its type (see `registerProfile`).
 * Errors: `hl7.segment.missing`, `hl7.field.required`; warnings: `hl7.field.recommended`, `hl7.profile.unknown`.
 *
 * @example
 * const { errors } = validateHl7v2(parseHl7v2(text));
 * errors[0]?.location // 'PV1-2'
 */
export function validateHl7v2(msg: Hl7Message): Hl7ValidationReport {
  const report: Hl7ValidationReport = { errors: [], warnings: [] };
  // Findings are data (location + hint), not exceptions: skip V8's stack capture for them. With it,
  // building the LoomErrors was ~2/3 of validating a typical ADT (most of them `recommended`
  // warnings), and original-mode channels validate before the ACK.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    checkRule(msg, MSH_RULE, report);
    const profile = profileFor(msg.type);
    if (profile === undefined) {
      if (msg.type !== '') {
        report.warnings.push(new LoomError('hl7.profile.unknown', `no profile for ${msg.type}: only MSH was checked`, {
          location: 'MSH-9',
          hint: 'register one with registerProfile to validate this message type',
        }));
      }
      return report;
    }
    for (const rule of profile.segments) checkRule(msg, rule, report, profile.type);
    return report;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function checkRule(msg: Hl7Message, rule: Hl7SegmentRule, report: Hl7ValidationReport, type = 'every message'): void {
  const n = msg.count(rule.segment);
  if (n === 0) {
    if (rule.required) {
      report.errors.push(new LoomError('hl7.segment.missing', `${type} requires a ${rule.segment} segment but none is present`, {
        location: rule.segment,
        hint: `add the ${rule.segment} segment in its place in the message structure`,
      }));
    }
    return;
  }
  for (let occ = 1; occ <= n; occ++) {
    const prefix = n > 1 ? `${rule.segment}[${occ}]` : rule.segment;
    for (const field of rule.fields ?? []) {
      if (isEmpty(msg, `${rule.segment}[${occ}]-${field}`)) {
        report.errors.push(new LoomError('hl7.field.required', `${prefix}-${field} is required for ${type} but is empty`, {
          location: `${prefix}-${field}`,
          hint: `value ${rule.segment}-${field} in the sending system`,
        }));
      }
    }
    for (const field of rule.recommended ?? []) {
      if (isEmpty(msg, `${rule.segment}[${occ}]-${field}`)) {
        report.warnings.push(new LoomError('hl7.field.recommended', `${prefix}-${field} is empty; receivers usually expect it for ${type}`, {
          location: `${prefix}-${field}`,
          hint: `value ${rule.segment}-${field} if the sending system has it`,
        }));
      }
    }
  }
}

function isEmpty(msg: Hl7Message, path: string): boolean {
  const v = msg.get(path);
  // an explicit null ("") is a value: the sender says "delete", which satisfies presence
  return v === undefined || v.trim() === '';
}
