import { isLoop, triggerOf, type X12LoopRule, type X12Rule, type X12SegmentRule, type X12TransactionSpec } from './spec-rules.js';
import type { X12Segment } from './types.js';

/** One finding against a set's table, in the terms a 997 AK3/AK4 (999 IK3/IK4) needs. */
export interface X12SetIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  segmentId: string;
  /** 1-based position in the set (ST = 1). */
  positionInSet: number;
  /** Interchange position, for locations. */
  position: number;
  /** AK303: id of the enclosing loop, when inside one. */
  loopId?: string;
  /** AK304 syntax error code: 1 unrecognized, 2 unexpected, 3 mandatory missing, 4 loop over max, 5 over max use, 8 element errors. */
  segmentCode: string;
  element?: { position: number; code: string; value?: string };
}

/** A rule with its trigger and kind worked out once per table (hot path of validation). */
interface CompiledRule {
  rule: X12Rule;
  trigger: string;
  loop: boolean;
  required: boolean;
  max?: number;
  body: CompiledRule[];
  /** Indexes of the mandatory rules in `body`, so closing a loop checks only those. */
  bodyRequired: number[];
  /** Trigger id → rule indexes in `body`, so a segment finds its rule without a scan. */
  bodyIndex: Map<string, number[]>;
  /** The segment rule whose elements apply when this rule matches (the innermost trigger of a loop). */
  elementRule: X12SegmentRule;
}

const compiledTables = new WeakMap<X12Rule[], CompiledRule[]>();

function compile(rules: X12Rule[]): CompiledRule[] {
  let out = compiledTables.get(rules);
  if (out) return out;
  out = rules.map((rule) => {
    const loop = isLoop(rule);
    const body = loop ? compile(rule.body) : [];
    let inner: X12Rule = rule;
    while (isLoop(inner)) inner = inner.body[0];
    return { rule, trigger: triggerOf(rule), loop, required: rule.required === true, max: rule.max, body, bodyRequired: requiredIndexes(body), bodyIndex: triggerIndex(body), elementRule: inner };
  });
  compiledTables.set(rules, out);
  return out;
}

function requiredIndexes(rules: CompiledRule[]): number[] {
  const out: number[] = [];
  rules.forEach((r, i) => {
    if (r.required) out.push(i);
  });
  return out;
}

const rootTables = new WeakMap<X12Rule[], { rules: CompiledRule[]; required: number[]; index: Map<string, number[]> }>();

function rootTable(body: X12Rule[]): { rules: CompiledRule[]; required: number[]; index: Map<string, number[]> } {
  let t = rootTables.get(body);
  if (!t) {
    const rules = compile(body);
    t = { rules, required: requiredIndexes(rules), index: triggerIndex(rules) };
    rootTables.set(body, t);
  }
  return t;
}

function triggerIndex(rules: CompiledRule[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  rules.forEach((r, i) => {
    const list = out.get(r.trigger);
    if (list) list.push(i);
    else out.set(r.trigger, [i]);
  });
  return out;
}

interface Frame {
  rules: CompiledRule[];
  required: number[];
  index: Map<string, number[]>;
  idx: number;
  counts: number[];
  loopId?: string;
  /** First rule index searchable in this frame (1 in loops: the trigger starts a new instance from the parent). */
  floor: number;
}

function newFrame(rules: CompiledRule[], required: number[], index: Map<string, number[]>, loopId?: string): Frame {
  const floor = loopId === undefined ? 0 : 1;
  // Sparse counts: most rules never match, so no per-loop array of zeros is allocated.
  const counts: number[] = [];
  if (loopId !== undefined) counts[0] = 1;
  return { rules, required, index, idx: floor, counts, loopId, floor };
}

/** Index of the rule that takes `id` in this frame, without skipping an unmet mandatory rule. */
function findIn(frame: Frame, id: string): number {
  const list = frame.index.get(id);
  if (list === undefined) return -1;
  const start = frame.idx > frame.floor ? frame.idx : frame.floor;
  let j = -1;
  for (const k of list) {
    if (k >= start) {
      j = k;
      break;
    }
  }
  if (j === -1) return -1;
  for (const r of frame.required) {
    if (r >= start && r < j && !frame.counts[r]) return -1;
  }
  return j;
}

/**
 * Walk the set's segments (between ST and SE) through the table: the usual X12 rule of moving
 * forward within a loop, closing loops when a segment belongs further out, and reporting
 * mandatory segments and loops that were passed over.
 */
export function matchSpec(spec: X12TransactionSpec, segments: readonly X12Segment[]): X12SetIssue[] {
  const issues: X12SetIssue[] = [];
  const root = rootTable(spec.body);
  const stack: Frame[] = [newFrame(root.rules, root.required, root.index)];
  const body = segments.slice(1, segments[segments.length - 1]?.id === 'SE' ? -1 : undefined);
  const last = segments[segments.length - 1];
  const missing = (frame: Frame, from: number, at: X12Segment, atIndex: number, to = frame.rules.length): void => {
    for (const j of frame.required) {
      if (j < from || j >= to || frame.counts[j]) continue;
      const { rule, trigger: id } = frame.rules[j];
      issues.push({
        severity: 'error', code: 'x12.segment.missing', segmentId: id, positionInSet: atIndex, position: at.position, loopId: frame.loopId,
        segmentCode: '3', message: `mandatory ${isLoop(rule) ? `loop ${rule.loop}` : `segment ${id}`} of ${spec.type} is missing before ${at.id} segment ${at.position}: add it`,
      });
    }
  };
  body.forEach((seg, k) => {
    const inSet = k + 2;
    let level = stack.length - 1;
    let j = -1;
    for (; level >= 0; level--) {
      j = findIn(stack[level], seg.id);
      if (j !== -1) break;
    }
    if (j === -1) {
      issues.push({
        severity: 'warning', code: 'x12.segment.unexpected', segmentId: seg.id, positionInSet: inSet, position: seg.position,
        loopId: stack[stack.length - 1].loopId, segmentCode: '2',
        message: `${seg.id} segment ${seg.position} is not expected here in a ${spec.type}: move or remove it`,
      });
      return;
    }
    while (stack.length - 1 > level) {
      const closed = stack.pop() as Frame;
      missing(closed, closed.floor, seg, inSet);
    }
    const frame = stack[level];
    // No mandatory rule between frame.idx and j can be unmet here: findIn refuses to skip one.
    frame.idx = j;
    frame.counts[j] = (frame.counts[j] ?? 0) + 1;
    const compiled = frame.rules[j];
    const rule = compiled.rule;
    if (rule.max !== undefined && frame.counts[j] > rule.max) {
      issues.push({
        severity: 'error', code: isLoop(rule) ? 'x12.loop.too-many' : 'x12.segment.too-many', segmentId: seg.id, positionInSet: inSet,
        position: seg.position, loopId: frame.loopId, segmentCode: isLoop(rule) ? '4' : '5',
        message: `${seg.id} segment ${seg.position} exceeds the maximum of ${rule.max}: remove the extra ${isLoop(rule) ? 'loop' : 'segment'}`,
      });
    }
    let c = compiled;
    while (c.loop) {
      stack.push(newFrame(c.body, c.bodyRequired, c.bodyIndex, (c.rule as X12LoopRule).loop));
      c = c.body[0];
    }
    const required = compiled.elementRule.requiredElements;
    if (required) {
      for (const n of required) {
        if ((seg.elements[n - 1] ?? '') !== '') continue;
        const name = `${seg.id}${String(n).padStart(2, '0')}`;
        issues.push({
          severity: 'error', code: 'x12.element.missing', segmentId: seg.id, positionInSet: inSet, position: seg.position,
          loopId: stack[stack.length - 1].loopId, segmentCode: '8', element: { position: n, code: '1' },
          message: `${name} is mandatory but empty in ${seg.id} segment ${seg.position}: give it a value`,
        });
      }
    }
  });
  const end = last ?? segments[0];
  const endIndex = segments.length;
  while (stack.length > 1) {
    const closed = stack.pop() as Frame;
    missing(closed, closed.floor, end, endIndex);
  }
  missing(stack[0], stack[0].idx, end, endIndex);
  return issues;
}
