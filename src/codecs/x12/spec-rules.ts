import { LoomError } from '../../kernel/errors.js';

/** A segment in a transaction set table: id, mandatory or not, max use, mandatory elements. */
export interface X12SegmentRule {
  segment: string;
  required?: boolean;
  max?: number;
  /** 1-based element positions that must carry a value. */
  requiredElements?: number[];
}

/** A loop: its first rule is the trigger segment; `required` means the loop must occur. */
export interface X12LoopRule {
  loop: string;
  required?: boolean;
  max?: number;
  body: X12Rule[];
}

export type X12Rule = X12SegmentRule | X12LoopRule;

/** The declarative table of one transaction set (ST..SE excluded from `body`). */
export interface X12TransactionSpec {
  /** ST01, e.g. `850`. */
  type: string;
  name: string;
  /** GS01 this set travels in, e.g. `PO`. */
  functionalId: string;
  body: X12Rule[];
  /** Check the HL hierarchy (HL01 unique, HL02 parent exists, HL03 level order). */
  hierarchy?: { levels: string[] };
}

export function isLoop(rule: X12Rule): rule is X12LoopRule {
  return 'loop' in rule;
}

/** Id of the segment that starts a rule: the segment itself, or a loop's trigger. */
export function triggerOf(rule: X12Rule): string {
  if (!isLoop(rule)) return rule.segment;
  const first = rule.body[0];
  return first ? triggerOf(first) : rule.loop;
}

/**
 * Build rules from a compact table: `SEG` optional, `SEG!` mandatory, `SEG!1` mandatory max 1,
 * `SEG:1,2` elements 01 and 02 mandatory, `( ... )` a loop whose first entry is the trigger
 * (a `!` on the trigger makes the loop mandatory).
 *
 * @example
 * x12Rules('BEG!1:1,2,3,5 REF (N1 N3 N4) (PO1! PID) (CTT AMT)');
 */
export function x12Rules(table: string): X12Rule[] {
  const tokens = table.replace(/[()]/g, (p) => ` ${p} `).split(/\s+/).filter(Boolean);
  let i = 0;
  const readList = (closing: boolean): X12Rule[] => {
    const out: X12Rule[] = [];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (t === ')') {
        if (!closing) throw new LoomError('x12.spec.invalid', 'unbalanced ")" in spec table', { location: `token ${i}` });
        return out;
      }
      if (t === '(') {
        const body = readList(true);
        const head = body[0];
        if (!head || isLoop(head)) throw new LoomError('x12.spec.invalid', 'a loop must start with a segment', { location: `token ${i}` });
        const loop: X12LoopRule = { loop: head.segment, body, required: head.required };
        if (head.max !== undefined) loop.max = head.max;
        body[0] = { segment: head.segment, requiredElements: head.requiredElements };
        out.push(loop);
        continue;
      }
      const m = /^([A-Z0-9]{2,3})(!)?(\d+)?(?::([\d,]+))?$/.exec(t);
      if (!m) throw new LoomError('x12.spec.invalid', `"${t}" is not a segment rule`, { location: `token ${i}`, hint: 'write SEG, SEG!, SEG!1 or SEG:1,2' });
      const rule: X12SegmentRule = { segment: m[1] };
      if (m[2]) rule.required = true;
      if (m[3]) rule.max = Number(m[3]);
      if (m[4]) rule.requiredElements = m[4].split(',').map(Number);
      out.push(rule);
    }
    if (closing) throw new LoomError('x12.spec.invalid', 'unbalanced "(" in spec table', { location: 'end' });
    return out;
  };
  return readList(false);
}
