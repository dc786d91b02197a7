import { isLoop, triggerOf, type X12Rule, type X12TransactionSpec } from './spec-rules.js';
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

interface Frame {
  rules: X12Rule[];
  idx: number;
  counts: number[];
  loopId?: string;
  /** First rule index searchable in this frame (1 in loops: the trigger starts a new instance from the parent). */
  floor: number;
}

function newFrame(rules: X12Rule[], loopId?: string): Frame {
  const floor = loopId === undefined ? 0 : 1;
  return { rules, idx: floor, counts: rules.map((_, i) => (i === 0 && loopId !== undefined ? 1 : 0)), loopId, floor };
}

/** Index of the rule that takes `id` in this frame, without skipping an unmet mandatory rule. */
function findIn(frame: Frame, id: string): number {
  for (let j = Math.max(frame.idx, frame.floor); j < frame.rules.length; j++) {
    const rule = frame.rules[j];
    if (triggerOf(rule) === id) return j;
    if (rule.required && frame.counts[j] === 0) return -1;
  }
  return -1;
}

/**
 * Walk the set's segments (between ST and SE) through the table: the usual X12 rule of moving
 * forward within a loop, closing loops when a segment belongs further out, and reporting
 * mandatory segments and loops that were passed over.
 */
export function matchSpec(spec: X12TransactionSpec, segments: readonly X12Segment[]): X12SetIssue[] {
  const issues: X12SetIssue[] = [];
  const stack: Frame[] = [newFrame(spec.body)];
  const body = segments.slice(1, segments[segments.length - 1]?.id === 'SE' ? -1 : undefined);
  const last = segments[segments.length - 1];
  const missing = (frame: Frame, from: number, at: X12Segment, atIndex: number, to = frame.rules.length): void => {
    for (let j = from; j < to; j++) {
      const rule = frame.rules[j];
      if (!rule.required || frame.counts[j] > 0) continue;
      const id = triggerOf(rule);
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
    missing(frame, Math.max(frame.idx, frame.floor), seg, inSet, j);
    frame.idx = j;
    frame.counts[j]++;
    const rule = frame.rules[j];
    if (rule.max !== undefined && frame.counts[j] > rule.max) {
      issues.push({
        severity: 'error', code: isLoop(rule) ? 'x12.loop.too-many' : 'x12.segment.too-many', segmentId: seg.id, positionInSet: inSet,
        position: seg.position, loopId: frame.loopId, segmentCode: isLoop(rule) ? '4' : '5',
        message: `${seg.id} segment ${seg.position} exceeds the maximum of ${rule.max}: remove the extra ${isLoop(rule) ? 'loop' : 'segment'}`,
      });
    }
    let elementRule = rule;
    if (isLoop(rule)) {
      let r: X12Rule = rule;
      while (isLoop(r)) {
        stack.push(newFrame(r.body, r.loop));
        r = r.body[0];
      }
      elementRule = r;
    }
    if (!isLoop(elementRule)) {
      for (const n of elementRule.requiredElements ?? []) {
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
