import type { X12Interchange } from '../codecs/x12/index.js';
import { LoomError } from '../kernel/index.js';
import type { OutboundControlNumbers } from './control-numbers.js';
import type { TradingPartnerProfile } from './profile.js';

/**
 * Rewrite an outgoing interchange (one group) for a partner: its control numbers, our and their
 * ISA/GS ids, ISA15 usage, and the partner's delimiters. Returns the X12 text.
 *
 * @example restampInterchange(parseX12(text), profile, service.nextOutbound('VENDOR-A'))
 */
export function restampInterchange(ic: X12Interchange, p: TradingPartnerProfile, n: OutboundControlNumbers): string {
  const group = ic.groups[0];
  const isa = ic.isa.elements;
  const v5 = isa[11] >= '00501';
  const d = p.delimiters;
  const comp = d.component ?? (v5 ? ':' : '>');
  const rep = v5 ? d.repetition : undefined;
  const newDelims = [d.element, comp, d.segment, ...(rep ? [rep] : [])];
  if (new Set(newDelims).size !== newDelims.length) {
    throw new LoomError('x12.partner.delimiters', `partner ${p.partnerId} delimiters ${newDelims.join(' ')} are not distinct`, { location: `partners.${p.partnerId}.delimiters`, hint: 'element, component, repetition and segment terminator must differ' });
  }
  // ISA05-08: qualifiers and ids, fixed width 15; ISA11 repetition (005010) or U; ISA13; ISA15; ISA16.
  isa[4] = p.ours.qualifier; isa[5] = p.ours.id.padEnd(15); isa[6] = p.theirs.qualifier; isa[7] = p.theirs.id.padEnd(15);
  isa[10] = rep ?? 'U'; isa[12] = n.isa13; isa[14] = p.usage; isa[15] = comp;
  if (ic.iea) ic.iea.elements[1] = n.isa13; // IEA02 = ISA13
  const gs = group.gs.elements;
  gs[1] = p.ours.application ?? p.ours.id; gs[2] = p.theirs.application ?? p.theirs.id; gs[5] = n.gs06; // GS02, GS03, GS06
  if (group.ge) group.ge.elements[1] = n.gs06; // GE02 = GS06
  group.sets.forEach((set, k) => {
    set.st.elements[1] = n.st02[k]; // ST02
    if (set.se) set.se.elements[1] = n.st02[k]; // SE02 = ST02
  });
  const old = ic.delimiters;
  const after = d.segment + (d.newline ? '\n' : '');
  return ic.segments.map((seg) => {
    if (seg.id === 'ISA') return ['ISA', ...seg.elements].join(d.element) + after;
    const elements = seg.elements.map((value, i) => {
      const reps = old.repetition ? value.split(old.repetition) : [value];
      return reps.map((r) => r.split(old.component).map((part) => {
        if (newDelims.some((x) => part.includes(x))) {
          throw new LoomError('x12.build.delimiter', `${seg.id}${String(i + 1).padStart(2, '0')} "${part}" contains one of partner ${p.partnerId}'s delimiters`, { location: `${seg.id}${String(i + 1).padStart(2, '0')}`, hint: 'remove the character or agree other delimiters with the partner' });
        }
        return part;
      }).join(comp)).join(rep ?? '');
    });
    return [seg.id, ...elements].join(d.element) + after;
  }).join('');
}
