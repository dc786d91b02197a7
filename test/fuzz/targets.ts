// The fuzz targets: names, grammar dictionaries and hand-made seeds. No codec imports here, so the
// main thread can use it without loading the decoders (they run in the worker).
import { dictionary, type Dictionary } from './mutate.js';

export const TARGETS = ['hl7', 'x12', 'udi', 'mllp'] as const;
export type TargetName = (typeof TARGETS)[number];

/** What a worker can run: the decoders, and `selftest`, a fake decoder that crashes and hangs on cue (engine tests). */
export type HarnessName = TargetName | 'selftest';

export function isTarget(name: string): name is TargetName {
  return (TARGETS as readonly string[]).includes(name);
}

const HL7_DELIMS = ['|', '^', '~', '\\', '&', '#', '\r', '\n', '\r\n'];
const HL7_TOKENS = [
  'MSH|^~\\&|', 'MSH|', 'FHS|^~\\&|', 'BHS|^~\\&|', 'BTS|1', 'FTS|1', 'PID|', 'PV1|', 'OBX|', 'EVN|', 'NK1|', 'IN1|', 'ZZZ|',
  '\\F\\', '\\S\\', '\\T\\', '\\R\\', '\\E\\', '\\X0D0A\\', '\\.br\\', '\\H\\', '\\N\\', '\\Zabc\\', '\\C2842\\', '\\M2442\\', '""',
  'ADT^A01', 'ADT^A03^ADT_A03', 'ORU^R01', 'ACK', '2.3', '2.5', '2.5.1', '2.8', 'UNICODE UTF-8', '8859/1', 'ASCII', 'UNICODE UTF-16',
  'ISO IR87', 'AL', 'NE', 'ER', 'SU', '20240101120000+0100', '20241301', '\xef\xbb\xbf',
];
const X12_DELIMS = ['*', ':', '~', '^', '>', '|', '\n', '\r\n', '~\n'];
const X12_TOKENS = [
  'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*P*:~',
  'GS*PO*S*R*20240101*1200*1*X*004010~', 'ST*850*0001~', 'SE*2*0001~', 'GE*1*1~', 'IEA*1*000000001~',
  'ISA', 'GS', 'ST', 'SE', 'GE', 'IEA', 'BEG', 'BIG', 'PO1', 'IT1', 'HL', 'N1', 'REF', 'CLM', 'LX', 'TA1', 'AK1', 'AK9',
  '00401', '00501', '004010', '005010', '005010X222A1', '003010', '850', '810', '856', '820', '997', '999', '837', '835',
];
const MLLP_DELIMS = ['\x0b', '\x1c\x0d', '\x1c', '\x0d', '\x0a', ' ', '\t', '\x0b\x0b'];
const MLLP_TOKENS = ['\x0bMSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\x1c\x0d', '\x1c\x0d\x0b', '\x00', '\xff'];
const UDI_DELIMS = ['(', ')', '\x1d', '/', '$', '+', '=', '&', '%', '*'];
const UDI_TOKENS = [
  '(01)', '(02)', '(10)', '(11)', '(17)', '(21)', '(22)', '(30)', '(240)', '(241)', '(250)', '(7003)', '(8004)', '(8020)', '(99)',
  '01', '10', '11', '17', '21', '7003', ']C1', ']d2', ']e0', ']Q3', ']C0', ']d1', '00884838094581', '09506000134352',
  '251231', '251200', '250230', '2512310000', '+H123PROD01', '/$$3', '/$$', '/$+', '/S', '/14D', '/16D', '=<', '=)', '&>', '=:',
];

export const DICTIONARIES: Record<HarnessName, Dictionary> = {
  selftest: dictionary(['|'], ['x']),
  hl7: dictionary(HL7_DELIMS, HL7_TOKENS),
  x12: dictionary(X12_DELIMS, X12_TOKENS),
  udi: dictionary(UDI_DELIMS, UDI_TOKENS),
  mllp: dictionary(MLLP_DELIMS, [...MLLP_TOKENS, ...HL7_DELIMS]),
};

const HL7 = 'MSH|^~\\&|EHR|MAIN|LOOM|HOSP|20240101120000||ADT^A01|C1|P|2.5\rEVN|A01|20240101120000\rPID|1||MRN1^^^HOSP^MR~X2^^^B^PI||DOE^JANE\\S\\X||19800101|F\rPV1|1|I|4W^401^1||||||||||||||||V1\rOBX|1|TX|||line\\.br\\two\r';
const HL7_BATCH = `FHS|^~\\&|EHR\rBHS|^~\\&|EHR\r${HL7}${HL7.replace('C1', 'C2')}BTS|2\rFTS|1\r`;
const X12 = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*P*:~GS*IN*SENDER*RECEIVER*20240101*1200*1*X*005010~ST*810*0001~BIG*20240101*INV1***PO1~N1*ST*HOSPITAL~IT1*1*2*EA*10.00**VC*ITEM1~TDS*2000~SE*6*0001~GE*1*1~IEA*1*000000001~';

/** Hand-made seeds: used with or without the shared corpus. */
export const HAND_SEEDS: Record<TargetName, string[]> = {
  hl7: [HL7, HL7_BATCH, 'MSH|^~\\&|A|B|C|D|20240101||ACK^A01|9|P|2.3.1|||AL|NE||UNICODE UTF-8\rMSA|AA|C1\r'],
  x12: [X12, X12.replace('00501', '00401').replace('005010', '004010'), X12.replace(/\*/g, '|').replace(/~/g, '~\n')],
  udi: ['(01)00884838094581(17)251231(10)LOT1(21)SER1', '+H123PROD01/$$3251231LOT1/S SER1H', '01008848380945811725123110LOT1\u001d21SER1', ']d2010088483809458110LOT1', '=<A9999 24 123456 00'],
  mllp: [`\x0b${HL7}\x1c\x0d`, `\x0b${HL7}\x1c\x0d\r\n\x0b${HL7_BATCH}\x1c\x0d`, '\x0bMSH|^~\\&|A\x1c\x0d\x0b\x1c\x0d'],
};
