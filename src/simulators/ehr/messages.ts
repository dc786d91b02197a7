import { encodeEscapes, DEFAULT_DELIMITERS, isoToHl7DateTime } from '../../codecs/hl7v2/index.js';
import { findItem } from '../catalog.js';
import type { SimCase, SimImplant } from '../scenario/types.js';

// Messages as the simulated EHR ("EPICSIM" at "LOOMHOSP") writes them, segments joined by CR.
const APP = 'EPICSIM';
const FAC = 'LOOMHOSP';

function e(v: string): string {
  return encodeEscapes(v, DEFAULT_DELIMITERS);
}

function ts(iso: string): string {
  // HL7 DTM without offset noise: YYYYMMDDHHMMSS (UTC in this simulation)
  return isoToHl7DateTime(iso).slice(0, 14);
}

function msh(at: string, type: string, controlId: string, version: string): string {
  // MSH-9 type^trigger^structure, MSH-10 control id, MSH-11 P, MSH-12 version
  return ['MSH', '^~\\&', APP, FAC, 'LOOM', FAC, ts(at), '', type, controlId, 'P', version].join('|');
}

function pid(c: SimCase): string {
  const p = c.patient;
  // PID-3 MRN (CX-5 MR), PID-5 name, PID-7 birth date, PID-8 sex
  return ['PID', '1', '', `${p.mrn}^^^${FAC}^MR`, '', `${e(p.family)}^${e(p.given)}`, '', p.birthDate.replace(/-/g, ''), p.sex].join('|');
}

function pv1(c: SimCase, discharge?: string): string {
  const f = ['PV1', '1', 'I', `${c.location}^^^${FAC}`];
  while (f.length < 19) f.push('');
  f.push(`${c.visitNumber}^^^${FAC}^VN`); // PV1-19 visit number
  while (f.length < 44) f.push('');
  f.push(ts(c.admitAt)); // PV1-44 admit date/time
  if (discharge) f.push(ts(discharge)); // PV1-45 discharge date/time
  return f.join('|');
}

/** ADT^A01 admit, ^A03 discharge, ^A13 cancel discharge (v2.5.1). */
export function buildAdt(c: SimCase, trigger: 'A01' | 'A03' | 'A13', at: string, controlId: string): string {
  const discharge = trigger === 'A03' ? at : undefined;
  return [msh(at, `ADT^${trigger}^${trigger === 'A13' ? 'ADT_A01' : trigger === 'A03' ? 'ADT_A03' : 'ADT_A01'}`, controlId, '2.5.1'),
    `EVN|${trigger}|${ts(at)}`, pid(c), pv1(c, discharge)].join('\r');
}

/** SIU^S12 new appointment booking for the procedure (SCH, PID, RGS, AIS). */
export function buildSiu(c: SimCase, at: string, controlId: string): string {
  // SCH-1 placer appointment id, SCH-11 timing (start), SCH-25 filler status
  const sch = ['SCH', c.caseId, c.caseId, '', '', '', '', `${c.procedure.code}^${e(c.procedure.display)}^CPT`, '', '60', 'min',
    `^^60^${ts(c.procedureAt)}`];
  while (sch.length < 25) sch.push('');
  sch.push('Booked');
  return [msh(at, 'SIU^S12^SIU_S12', controlId, '2.5.1'), sch.join('|'), pid(c), pv1(c), 'RGS|1|A',
    `AIS|1|A|${c.procedure.code}^${e(c.procedure.display)}^CPT|${ts(c.procedureAt)}|||60|min`].join('\r');
}

function prt(imp: SimImplant, at: string, n: number): string {
  // v2.8 PRT: -1 instance id, -2 action AD, -4 participation, -10 device (the UDI carrier), -11 start,
  // -16 UDI DI (EI-3 issuing agency OID), -18 expiry, -19 lot, -20 serial
  const oid = imp.form === 'GS1' ? '2.51.1.1' : '1.0.15961.10.816';
  const di = imp.form === 'GS1' ? imp.gtin : imp.hibccDi ?? imp.gtin;
  const f = ['PRT', String(n), 'AD', '', 'DEV^Device^HL70912', '', '', '', '', '', e(imp.udi), ts(at), '', '', '', '', `${di}^^${oid}^ISO`, '',
    imp.expiry.replace(/-/g, ''), e(imp.lot), e(imp.serial)];
  return f.join('|');
}

/**
 * Procedure record with implants: BAR^P12 v2.8 with PR1 + PRT (device UDI), or ORU^R01 v2.5.1 with
 * OBX-3 `UDI` and OBX-5 the carrier string, per implant's `carrier`.
 */
export function buildProcedure(c: SimCase, at: string, controlId: string): string {
  const prtImplants = c.implants.filter((i) => i.carrier === 'PRT');
  const obxImplants = c.implants.filter((i) => i.carrier === 'OBX');
  const proc = `${c.procedure.code}^${e(c.procedure.display)}^CPT`;
  if (obxImplants.length === 0) {
    // PR1-3 procedure code, PR1-5 procedure date/time
    const segs = [msh(at, 'BAR^P12^BAR_P12', controlId, '2.8'), `EVN|P12|${ts(at)}`, pid(c), pv1(c), `PR1|1||${proc}||${ts(c.procedureAt)}`];
    prtImplants.forEach((imp, i) => segs.push(prt(imp, c.procedureAt, i + 1)));
    return segs.join('\r');
  }
  const segs = [msh(at, 'ORU^R01^ORU_R01', controlId, '2.5.1'), pid(c), pv1(c), `OBR|1|${c.caseId}||${proc}|||${ts(c.procedureAt)}`];
  c.implants.forEach((imp, i) => {
    // OBX-2 ST, OBX-3 UDI, OBX-5 carrier string, OBX-11 F final, OBX-14 observation time
    segs.push(['OBX', String(i + 1), 'ST', 'UDI^Unique device identifier^L', '', e(imp.udi), '', '', '', '', '', 'F', '', '', ts(c.procedureAt)].join('|'));
  });
  return segs.join('\r');
}

/** One charge line of a DFT: charge code, quantity, unit price. */
export interface DftLine { chargeCode: string; description: string; quantity: number; unitPrice: number; unitCost: number; transactionId: string }

/** The charge lines a case produces: one per implant, one per supply line, at the charge master price. */
export function chargeLines(c: SimCase, priceOverride?: { index: number; factor: number }): DftLine[] {
  const lines: DftLine[] = [];
  const bySku = new Map<string, number>();
  for (const imp of c.implants) bySku.set(imp.sku, (bySku.get(imp.sku) ?? 0) + 1);
  for (const s of c.supplies) bySku.set(s.sku, (bySku.get(s.sku) ?? 0) + s.quantity);
  for (const [sku, quantity] of bySku) {
    const item = findItem({ sku });
    if (!item) continue;
    const n = lines.length;
    const unitPrice = priceOverride?.index === n ? Math.round(item.chargePrice * priceOverride.factor * 100) / 100 : item.chargePrice;
    lines.push({ chargeCode: item.chargeCode, description: item.description, quantity, unitPrice, unitCost: item.contractPrice, transactionId: `${c.visitNumber}-${n + 1}` });
  }
  return lines;
}

/** DFT^P03 with one FT1 per charge line (FT1-2 transaction id keeps resends idempotent). */
export function buildDft(c: SimCase, lines: DftLine[], at: string, controlId: string): string {
  const segs = [msh(at, 'DFT^P03^DFT_P03', controlId, '2.5.1'), `EVN|P03|${ts(at)}`, pid(c), pv1(c)];
  lines.forEach((l, i) => {
    const amount = (l.quantity * l.unitPrice).toFixed(2);
    // FT1-4 date, -6 CG, -7 code^text^CDM, -10 qty, -11 extended, -12 unit, -13 department,
    // -22 unit cost (the contract price: what cost postings debit), -25 procedure
    const f = ['FT1', String(i + 1), l.transactionId, '', ts(c.procedureAt), ts(at), 'CG', `${l.chargeCode}^${e(l.description)}^CDM`, '', '',
      String(l.quantity), `${amount}&USD`, `${l.unitPrice.toFixed(2)}&USD`, c.location];
    while (f.length < 22) f.push('');
    f.push(`${l.unitCost.toFixed(2)}&USD`);
    while (f.length < 25) f.push('');
    f.push(`${c.procedure.code}^${e(c.procedure.display)}^CPT`);
    segs.push(f.join('|'));
  });
  return segs.join('\r');
}

/**
 * A deliberately broken message for `malformed-hl7` injection: a readable MSH (so the receiver can
 * answer AE/AR for this control id) followed by an unparseable EVN-2 date, a segment with an
 * invalid name, and no PID or PV1-19.
 */
export function buildMalformed(at: string, controlId: string): string {
  return [msh(at, 'ADT^A01^ADT_A01', controlId, '2.5.1'), 'EVN|A01|2026-13-45T99', 'P!D|1||garbage', 'PV1|1|I'].join('\r');
}
