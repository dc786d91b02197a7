import type { X12SetIssue } from './spec-match.js';
import type { X12Segment } from './types.js';

/**
 * HL hierarchy of an 856: HL01 ids unique, HL02 names an earlier HL01, and HL03 levels descend
 * in the table's order (S shipment > O order > T tare > P pack > I item).
 */
export function checkHierarchy(segments: readonly X12Segment[], levels: readonly string[]): X12SetIssue[] {
  const issues: X12SetIssue[] = [];
  const levelOf = new Map<string, string>();
  segments.forEach((seg, k) => {
    if (seg.id !== 'HL') return;
    const [id = '', parent = '', level = ''] = seg.elements;
    const base = { severity: 'error' as const, segmentId: 'HL', positionInSet: k + 1, position: seg.position, loopId: 'HL', segmentCode: '8' };
    if (levelOf.has(id)) {
      issues.push({ ...base, code: 'x12.hl.duplicate-id', element: { position: 1, code: '7', value: id },
        message: `HL01 "${id}" in HL segment ${seg.position} repeats an earlier HL01: number the HL segments uniquely` });
      return;
    }
    levelOf.set(id, level);
    if (parent === '') return;
    const parentLevel = levelOf.get(parent);
    if (parentLevel === undefined) {
      issues.push({ ...base, code: 'x12.hl.parent-missing', element: { position: 2, code: '7', value: parent },
        message: `HL02 "${parent}" in HL segment ${seg.position} names no earlier HL01: point it at an existing parent` });
      return;
    }
    const rank = levels.indexOf(level);
    const parentRank = levels.indexOf(parentLevel);
    if (rank !== -1 && parentRank !== -1 && rank <= parentRank) {
      issues.push({ ...base, code: 'x12.hl.level-order', element: { position: 3, code: '7', value: level },
        message: `HL03 "${level}" in HL segment ${seg.position} sits under "${parentLevel}": levels go ${levels.join(' > ')}` });
    }
  });
  return issues;
}
