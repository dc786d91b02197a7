import { buildX12Interchange, type X12EnvelopeOptions, type X12Interchange, type X12TransactionSet } from '../../codecs/x12/index.js';

/** One PO1 line as the vendor reads it from an 850. */
export interface ReceivedPoLine { lineNumber: string; quantity: number; uom: string; unitPrice: number; gtin?: string; vendorPartId?: string; buyerPartId?: string }
export interface ReceivedPo { poNumber: string; date: string; lines: ReceivedPoLine[] }

function isoOf(ccyymmdd: string): string {
  return `${ccyymmdd.slice(0, 4)}-${ccyymmdd.slice(4, 6)}-${ccyymmdd.slice(6, 8)}`;
}

/** Read BEG and PO1 of an 850 set (PO106/107.. qualifier pairs: UK GTIN, VP vendor part, BP buyer part). */
export function read850(set: X12TransactionSet): ReceivedPo {
  const lines: ReceivedPoLine[] = [];
  for (const seg of set.segments) {
    if (seg.id !== 'PO1') continue;
    const e = seg.elements;
    const line: ReceivedPoLine = { lineNumber: e[0] ?? String(lines.length + 1), quantity: Number(e[1]), uom: e[2] ?? 'EA', unitPrice: Number(e[3]) };
    for (let i = 5; i + 1 < e.length; i += 2) {
      if (e[i] === 'UK' || e[i] === 'EN') line.gtin = e[i + 1];
      if (e[i] === 'VP') line.vendorPartId = e[i + 1];
      if (e[i] === 'BP') line.buyerPartId = e[i + 1];
    }
    lines.push(line);
  }
  const beg05 = set.get('BEG05') ?? '';
  return { poNumber: set.get('BEG03') ?? '', date: /^\d{8}$/.test(beg05) ? isoOf(beg05) : '', lines };
}

/**
 * 855 purchase order acknowledgment: BAK (BAK02 AC accepted with changes / AT accepted), one PO1
 * echo plus ACK per line (ACK01 IA item accepted, IR item rejected), CTT.
 */
export function build855(po: ReceivedPo, accepted: boolean[], date: string, env: X12EnvelopeOptions): X12Interchange {
  const compact = date.replace(/-/g, '').slice(0, 8);
  const all = accepted.every(Boolean);
  const segs: string[][] = [['BAK', '00', all ? 'AT' : 'AC', po.poNumber, po.date.replace(/-/g, ''), '', '', '', '', compact]];
  po.lines.forEach((l, i) => {
    const ids: string[] = [];
    if (l.gtin) ids.push('UK', l.gtin);
    if (l.vendorPartId) ids.push('VP', l.vendorPartId);
    if (l.buyerPartId) ids.push('BP', l.buyerPartId);
    segs.push(['PO1', l.lineNumber, String(l.quantity), l.uom, String(l.unitPrice), '', ...ids]);
    segs.push(['ACK', accepted[i] ? 'IA' : 'IR', accepted[i] ? String(l.quantity) : '0', l.uom]);
  });
  segs.push(['CTT', String(po.lines.length)]);
  return buildX12Interchange('PR', [{ type: '855', segments: segs }], env);
}
