import { x12Rules, type X12TransactionSpec } from './spec-rules.js';

// Tables follow the 004010 standard's segment order; 005010 adds segments only optionally, so one
// table serves both. Mandatory marks are the standard's (not a guide's), kept few on purpose:
// guides (VICS, X348...) tighten them, and users do that with registerX12Spec.
const N1_LOOP = '(N1:1 N2 N3 N4 NX2 REF PER SI FOB TD1 TD5 TD3 TD4 PKG)';
const N9_LOOP = '(N9:1 DTM MSG)';
const SAC_LOOP = '(SAC:1 CUR)';

const builtIn: X12TransactionSpec[] = [
  {
    type: '850', name: 'Purchase Order', functionalId: 'PO',
    body: x12Rules(`BEG!1:1,2,3,5 CUR REF PER TAX FOB CTP PAM CSH TC2 ${SAC_LOOP} ITD DIS INC DTM LDT LIN SI PID MEA PWK PKG TD1 TD5 TD3 TD4 MAN PCT CTB TXI (AMT REF DTM PCT) ${N9_LOOP} ${N1_LOOP} (LM LQ) (SPI REF DTM MSG) (ADV DTM MTX)
      (PO1!:2,3 LIN SI CUR CN1 PO3 (CTP CUR) MEA (PID MEA) PWK PO4 REF PER ${SAC_LOOP} IT8 CSH ITD DIS INC TAX FOB SDQ IT3 DTM TC2 TD1 TD5 TD3 TD4 PCT MAN MSG SPI TXI CTB (QTY SI) (SCH TD1 TD5 TD3 TD4 REF) PKG LS (LDT QTY MSG REF) LE ${N9_LOOP} ${N1_LOOP} (SLN MSG SI PID PO3 TC2 ADV DTM CTP PAM PO4 TAX (N9 DTM MSG) (SAC CUR CTP) (QTY SI) (N1 N2 N3 N4 NX2 REF PER SI)) (AMT REF PCT) (LM LQ))
      (CTT:1 AMT)`),
  },
  {
    type: '855', name: 'Purchase Order Acknowledgment', functionalId: 'PR',
    body: x12Rules(`BAK!1:1,2,3,4 CUR REF PER TAX FOB CTP PAM CSH ${SAC_LOOP} ITD DIS INC DTM LDT LIN SI PID MEA PWK PKG TD1 TD5 TD3 TD4 MAN TXI CTB (AMT REF DTM PCT) ${N9_LOOP} ${N1_LOOP} (ADV DTM MTX)
      (PO1:2 LIN SI CUR CN1 PO3 (CTP CUR) MEA (PID MEA) PWK PO4 REF PER ${SAC_LOOP} IT8 CSH ITD DIS INC TAX FOB SDQ IT3 DTM TC2 TD1 TD5 TD3 TD4 PCT MAN MSG SPI TXI CTB (QTY SI) (ACK DTM) (SCH TD1 TD5 TD3 TD4 REF) ${N9_LOOP} ${N1_LOOP} (SLN MSG SI PID PO3 TC2 ADV DTM CTP PAM PO4 TAX (N9 DTM MSG) (SAC CUR CTP) (ACK DTM) (QTY SI) (N1 N2 N3 N4 NX2 REF PER SI)) (AMT REF PCT))
      (CTT:1 AMT)`),
  },
  {
    type: '856', name: 'Ship Notice/Manifest', functionalId: 'SH',
    body: x12Rules(`BSN!1:1,2,3,4 DTM
      (HL!:1,3 LIN SN1 SLN PRF PO4 PID MEA PWK PKG TD1 TD5 TD3 TD4 TSD REF PER LH1 LH2 LH3 LFH LEP CLD DTM FOB PAL NTE MAN (LM LQ) (V1 R4 DTM) (H1 H2) ${N1_LOOP} SDQ ETD CUR (SAC CUR) GF YNQ (LX N9 LM LQ))
      CTT:1`),
    hierarchy: { levels: ['S', 'O', 'T', 'P', 'I'] },
  },
  {
    type: '810', name: 'Invoice', functionalId: 'IN',
    body: x12Rules(`BIG!1:1,2 NTE CUR REF YNQ PER ${N1_LOOP} ITD DTM FOB PID MEA PWK PKG L7 BAL INC PAM (LM LQ) (N9 DTM MSG) (V1 R4 DTM) (FA1 FA2)
      (IT1 CRC QTY CUR IT3 TXI CTP PAM MEA (PID MEA) PWK PKG PO4 ITD REF YNQ PER SDQ DTM CAD L7 SR (SAC TXI) (SLN DTM REF PID SAC TC2 TXI) (N1 N2 N3 N4 REF PER DMG) (LM LQ) (V1 R4 DTM) (FA1 FA2))
      TDS!:1 TXI CAD AMT (SAC TXI) (ISS PID) CTT:1`),
  },
  {
    type: '820', name: 'Payment Order/Remittance Advice', functionalId: 'RA',
    body: x12Rules(`BPR!1:1,2,3,4 NTE TRN CUR REF DTM (N1 N2 N3 N4 REF PER RDM DTM)
      (ENT (NM1 N2 N3 N4 REF PER) (ADX NTE PER DTM (REF DTM)) (RMR NTE REF DTM (IT1 REF (SAC TXI) (SLN REF SAC)) (ADX NTE PER (REF DTM))))
      (TXP TXI) (DED) (LX REF TRN (NM1 REF G53) (AIN QTY DTM (PEN AMT DTM (N1 REF (AMT REF)))))
      (RYL NM1 (LOC (PID (PCT QTY (AMT ADX)))) (ASM ADX))
      (RMR NTE REF DTM (IT1 REF (SAC TXI) (SLN REF SAC)) (ADX NTE PER (REF DTM)))`),
  },
  {
    type: '832', name: 'Price/Sales Catalog', functionalId: 'SC',
    body: x12Rules(`BCT!1:1 CUR DTM REF PER (CTP DTM) PID PKG TD4 MEA ${N1_LOOP} (LM LQ)
      (LIN:2,3 DTM REF (CTP CUR DTM) PID MEA PO4 PKG (N1 N2 N3 N4) (SLN MSG PID) G43 (LM LQ) (G39 G42 (G43)) N9)
      CTT`),
  },
  {
    type: '997', name: 'Functional Acknowledgment', functionalId: 'FA',
    body: x12Rules('AK1!1:1,2 (AK2:1,2 (AK3:1,2 AK4) AK5!:1) AK9!1:1,2,3,4'),
  },
  {
    type: '999', name: 'Implementation Acknowledgment', functionalId: 'FA',
    body: x12Rules('AK1!1:1,2 (AK2:1,2 (IK3:1,2 CTX (IK4 CTX)) IK5!:1) AK9!1:1,2,3,4'),
  },
  {
    type: '861', name: 'Receiving Advice/Acceptance Certificate', functionalId: 'RC',
    body: x12Rules(`BRA!1:1,2,3 CUR REF PER DTM FOB PWK ${N1_LOOP} (LM LQ)
      (RCD!:2 SN1 PO4 PID MEA REF DTM LM (CUR) (LIN PO4 PID MEA) (SLN PID) (REF DTM) (N1 N2 N3 N4) (TD1 TD5) (AMT))
      CTT:1`),
  },
  {
    type: '824', name: 'Application Advice', functionalId: 'AG',
    body: x12Rules(`BGN!1:1,2,3 (N1 N2 N3 N4 REF PER)
      (OTI!:1,2,3 REF DTM PER AMT QTY NM1 (TED!:1 NTE RED))`),
  },
];

const registry = new Map<string, X12TransactionSpec>(builtIn.map((s) => [s.type, s]));

/**
 * Register (or replace) the table for a transaction set type, e.g. a guide's stricter 850.
 *
 * @example
 * registerX12Spec({ type: '846', name: 'Inventory Inquiry', functionalId: 'IB', body: x12Rules('BIA!1 (LIN! QTY)') });
 */
export function registerX12Spec(spec: X12TransactionSpec): void {
  registry.set(spec.type, spec);
}

/** The registered table for ST01, if any. */
export function getX12Spec(type: string): X12TransactionSpec | undefined {
  return registry.get(type);
}

/** GS01 functional identifiers of the registered and common sets (a mismatch is a warning only). */
export const FUNCTIONAL_IDS: Record<string, string> = {
  '830': 'PS', '860': 'PC', '862': 'SS', '943': 'AR', '835': 'HP', '837': 'HC', '270': 'HS', '271': 'HB', '846': 'IB',
};
