import type { Channel, DeadLetter, MessageView } from '../contract.js';

/** Deterministic pseudo-random numbers (mulberry32) so the double's estate is the same every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const counts = (received: number, rejected: number, failed: number, dead: number) => ({
  received, processed: received - rejected - failed - dead, rejected, duplicate: Math.floor(received / 50), failed, deadLettered: dead,
});

/** Four channels: one healthy, one degraded by a half-open circuit, one down (open circuit), one X12. */
export function seedChannels(): Channel[] {
  return [
    {
      name: 'adt-in', status: 'running', sourceSystem: 'EHR', inbound: { kind: 'mllp', address: '0.0.0.0:2575' },
      counts: counts(1840, 3, 0, 0),
      destinations: [
        { name: 'erp-patients', kind: 'http', circuit: 'closed', pending: 0, delivered: 1837, dead: 0 },
        { name: 'inventory-encounters', kind: 'http', circuit: 'closed', pending: 2, delivered: 1835, dead: 0 },
      ],
    },
    {
      name: 'charges-in', status: 'running', sourceSystem: 'EHR', inbound: { kind: 'mllp', address: '0.0.0.0:2576' },
      counts: counts(412, 2, 4, 3),
      destinations: [{ name: 'erp-cost-postings', kind: 'http', circuit: 'half-open', pending: 17, delivered: 398, dead: 3 }],
    },
    {
      name: 'supply-usage', status: 'running', sourceSystem: 'Inventory', inbound: { kind: 'http', address: '/in/supply-usage' },
      counts: counts(230, 0, 30, 25),
      destinations: [{ name: 'erp-replenishment', kind: 'http', circuit: 'open', pending: 64, delivered: 150, dead: 25 }],
    },
    {
      name: 'vendor-edi', status: 'running', sourceSystem: 'Vendors', inbound: { kind: 'file', address: '/var/loom/edi/in' },
      counts: counts(96, 1, 0, 0),
      destinations: [{ name: 'procurement-po-status', kind: 'http', circuit: 'closed', pending: 0, delivered: 95, dead: 0 }],
    },
  ];
}

const hl7 = (lines: string[]) => lines.join('\r');

/** One segment from field number → value, so fixtures put values at the right field (PV1-19). */
function seg(id: string, fields: Record<number, string>): string {
  const max = Math.max(...Object.keys(fields).map(Number));
  const parts = [id];
  for (let n = 1; n <= max; n++) parts.push(fields[n] ?? '');
  return parts.join('|');
}

function adt(i: number, mrn: string, visit: string, control: string, at: string): string {
  const ts = at.replace(/[-:TZ]/g, '').slice(0, 14);
  return hl7([
    `MSH|^~\\&|EPIC|MAIN_HOSP|LOOM|LOOM|${ts}||ADT^A01^ADT_A01|${control}|P|2.5.1`,
    `EVN|A01|${ts}`,
    `PID|1||${mrn}^^^MAIN^MR||DOE^JANE^Q${i}||19800101|F|||1 MAIN ST^^SPRINGFIELD^IL^62701`,
    // PV1-19 visit number, PV1-44 admit date/time
    seg('PV1', { 1: '1', 2: 'I', 3: '4W^401^A', 4: 'E', 10: 'SUR', 14: '7', 19: `${visit}^^^MAIN^VN`, 44: ts }),
  ]);
}

function dft(mrn: string, visit: string, control: string, at: string, gtin: string, lot: string, serial: string): string {
  const ts = at.replace(/[-:TZ]/g, '').slice(0, 14);
  return hl7([
    `MSH|^~\\&|EPIC|MAIN_HOSP|LOOM|LOOM|${ts}||DFT^P03^DFT_P03|${control}|P|2.5.1`,
    `EVN|P03|${ts}`,
    `PID|1||${mrn}^^^MAIN^MR||ROE^RICHARD||19650412|M`,
    seg('PV1', { 1: '1', 2: 'O', 3: 'OR^2^1', 10: 'SUR', 19: `${visit}^^^MAIN^VN` }),
    // FT1-7 transaction code, FT1-10 quantity, FT1-11 extended amount, FT1-25 procedure code
    seg('FT1', { 1: '1', 4: ts, 6: 'CG', 7: 'IMPL-HIP^Hip implant', 10: '1', 11: '4200.00', 25: '27130^Total hip arthroplasty^CPT' }),
    seg('PR1', { 1: '1', 3: '27130^Total hip arthroplasty^CPT', 5: ts }),
    // PRT-16 device UDI (GS1 AIs 01/17/10/21), PRT-19 lot, PRT-20 serial
    seg('PRT', { 1: '1', 2: 'AD', 4: 'SB^Supply^HL70912', 16: `(01)${gtin}(17)281231(10)${lot}(21)${serial}`, 19: lot, 20: serial }),
  ]);
}

const X12_850 = [
  'ISA*00*          *00*          *ZZ*HOSPITAL       *ZZ*VENDOR01       *261126*0845*^*00501*000000905*0*P*:~',
  'GS*PO*HOSPITAL*VENDOR01*20261126*0845*905*X*005010~',
  'ST*850*0001~',
  'BEG*00*SA*PO-4711**20261126~',
  'PO1*1*10*EA*12.50**VN*SUT-3-0*IN*00812345678906~',
  'CTT*1~',
  'SE*5*0001~',
  'GE*1*905~',
  'IEA*1*000000905~',
].join('\n');

/** Messages with realistic payloads and keys: ADT (MRN, visit), DFT with implant UDI, X12 850, FHIR. */
export function seedMessages(now: number): MessageView[] {
  const rnd = prng(7);
  const out: MessageView[] = [];
  for (let i = 0; i < 60; i++) {
    const at = new Date(now - (60 - i) * 37_000).toISOString();
    const id = `01JDBL${String(i).padStart(6, '0')}`;
    const mrn = `MRN${100000 + i}`;
    const visit = `V${7000 + i}`;
    const control = `CTL${5000 + i}`;
    const kind = i % 10;
    const base = { id, receivedAt: at, controlId: control, sourceSystem: 'EHR', correlationId: `corr-${i}`, headers: { 'x-loom-peer': '10.0.4.17' } };
    let view: MessageView;
    if (kind === 3) {
      const gtin = '00812345678906';
      const lot = `LOT${i}A`;
      const serial = `SN${90000 + i}`;
      view = {
        message: { ...base, channel: 'charges-in', status: i === 13 ? 'dead-lettered' : 'processed', contentType: 'application/hl7-v2',
          payloadText: dft(mrn, visit, control, at, gtin, lot, serial), keys: { mrn, visitNumber: visit, controlId: control, gtin, lot, serial } },
        steps: [], deliveries: [], lineage: [],
      };
    } else if (kind === 7) {
      view = {
        message: { ...base, channel: 'vendor-edi', sourceSystem: 'Vendors', status: 'processed', contentType: 'application/edi-x12',
          controlId: '000000905', payloadText: X12_850, keys: { poNumber: 'PO-4711', gtin: '00812345678906', controlId: '000000905' } },
        steps: [], deliveries: [], lineage: [],
      };
    } else if (kind === 9) {
      const fhir = { resourceType: 'Patient', id: `p${i}`, identifier: [{ system: 'urn:oid:1.2.3.4', value: mrn }], name: [{ family: 'Doe', given: ['Jane'] }], birthDate: '1980-01-01' };
      view = {
        message: { ...base, channel: 'adt-in', status: 'processed', contentType: 'application/fhir+json',
          payloadText: JSON.stringify(fhir), keys: { mrn } },
        steps: [], deliveries: [], lineage: [],
      };
    } else {
      const status = i === 21 || i === 44 ? 'rejected' : 'processed';
      const error = status === 'rejected' ? { error: 'hl7.field.required at PID-3: patient identifier list is empty' } : {};
      view = {
        message: { ...base, ...error, channel: 'adt-in', status, contentType: 'application/hl7-v2',
          payloadText: adt(i, mrn, visit, control, at), keys: { mrn, visitNumber: visit, controlId: control } },
        steps: [], deliveries: [], lineage: [],
      };
    }
    const t0 = Date.parse(at);
    const names = ['journal', 'ack', 'decode', 'validate', 'translate', 'route'];
    view.steps = names.map((name, k) => ({
      name, status: view.message.status === 'rejected' && name === 'validate' ? 'failed' : 'done',
      startedAt: new Date(t0 + k * 3).toISOString(), durationMs: Number((0.2 + rnd() * 4).toFixed(2)),
      ...(view.message.status === 'rejected' && name === 'validate' ? { error: 'hl7.field.required at PID-3: patient identifier list is empty' } : {}),
    }));
    view.deliveries = view.message.status === 'rejected' ? [] : [
      { destination: view.message.channel === 'charges-in' ? 'erp-cost-postings' : 'erp-patients', status: view.message.status === 'dead-lettered' ? 'dead' : 'delivered',
        attempts: view.message.status === 'dead-lettered' ? 8 : 1, ...(view.message.status === 'dead-lettered' ? { lastError: 'HTTP 503 from ERP' } : { deliveredAt: new Date(t0 + 40).toISOString() }) },
    ];
    if (i > 0 && i % 5 === 0) view.lineage = [{ id: out[i - 1]!.message.id, relation: 'caused-by', channel: out[i - 1]!.message.channel }];
    out.push(view);
  }
  return out;
}

/** Three dead letters on the degraded channels, each with a code and a human reason. */
export function seedDeadLetters(now: number): DeadLetter[] {
  return [
    { id: 'dl-1', messageId: '01JDBL000013', channel: 'charges-in', destination: 'erp-cost-postings', code: 'delivery.http.5xx', reason: 'ERP answered 503 eight times over 30 min', createdAt: new Date(now - 600_000).toISOString() },
    { id: 'dl-2', messageId: '01JDBL000023', channel: 'charges-in', destination: 'erp-cost-postings', code: 'delivery.rejected', reason: 'ERP rejected cost center CC-9999: unknown cost center', createdAt: new Date(now - 420_000).toISOString() },
    { id: 'dl-3', messageId: '01JDBL000033', channel: 'supply-usage', destination: 'erp-replenishment', code: 'delivery.timeout', reason: 'no answer within 10 s; circuit opened', createdAt: new Date(now - 120_000).toISOString() },
  ];
}
