import type { Hl7Message } from '../codecs/hl7v2/index.js';
import type { ChargeEvent, Code, EventOf, Money } from '../canonical/index.js';
import { ChargeEvent as ChargeEventSchema } from '../canonical/index.js';
import type { Crosswalk } from './crosswalk.js';
import { lookupCharge } from './crosswalk.js';
import { fieldInvalid, fieldMissing as missing, typeUnsupported } from './errors.js';
import { eventTime, isoAt, opt, readMrn, readVisitNumber, req } from './hl7-read.js';
import { codeSystemOf } from './code-systems.js';
import { normalizeDecimal } from './decimal.js';
import { mapHl7DeviceImplants, type DeviceUseOptions } from './hl7-device-use.js';

export type ChargeEventEnvelope = EventOf<'charge.captured'> | EventOf<'charge.reversed'>;

export interface DftOptions extends DeviceUseOptions {
  /** Charge code ↔ item ↔ GL ↔ cost center; every FT1-7 code must have a row when given. */
  crosswalk?: Crosswalk;
  /** Currency when FT1-11/12/22 carry none (v2.3-style plain numbers). Default USD. */
  defaultCurrency?: string;
}

export interface DftResult {
  charges: ChargeEventEnvelope[];
  /** Devices documented in PR1/PRT or OBX of the same message (implant charging). */
  devices: EventOf<'device.implanted'>[];
}

// HL7 table 0017 transaction type: CG charge, CD credit. Others (PY payment, AJ adjustment, CO
// co-payment) are not charges and are refused rather than silently booked.
const CHARGE_TYPES = new Set(['CG']);
const CREDIT_TYPES = new Set(['CD', 'RV', 'RC']);

/**
 * DFT^P03 / DFT^P11 → one ChargeEvent per FT1, wrapped as `charge.captured`, or
 * `charge.reversed` for credits (FT1-6 CD) and negative quantities/amounts.
 *
 * @example
 * const { charges } = mapDftCharges(parseHl7v2(text), { crosswalk });
 * charges[0].data.code.code // FT1-7.1
 */
export function mapDftCharges(msg: Hl7Message, options: DftOptions = {}): DftResult {
  if (msg.type !== 'DFT^P03' && msg.type !== 'DFT^P11') throw typeUnsupported('MSH-9', msg.type, ['DFT^P03', 'DFT^P11']);
  const visit = readVisitNumber(msg).value; // PV1-19
  const mrn = readMrn(msg).mrn.value; // PID-3
  const n = msg.count('FT1');
  if (n === 0) throw missing('FT1', 'financial transaction segment', 'a DFT carries at least one FT1 segment');
  const charges: ChargeEventEnvelope[] = [];
  for (let i = 1; i <= n; i++) charges.push(readFt1(msg, i, visit, mrn, options));
  const devices = mapHl7DeviceImplants(msg, options);
  return { charges, devices };
}

function readFt1(msg: Hl7Message, i: number, visit: string, mrn: string, options: DftOptions): ChargeEventEnvelope {
  const at = i === 1 ? 'FT1' : `FT1[${i}]`;
  const txType = req(msg, `${at}-6.1`, 'transaction type', 'send CG (charge) or CD (credit) in FT1-6 (HL7 table 0017)').toUpperCase();
  const isCreditType = CREDIT_TYPES.has(txType);
  if (!isCreditType && !CHARGE_TYPES.has(txType)) {
    throw fieldInvalid(`${at}-6`, 'transaction type', txType, 'only CG (charge) and CD (credit) are charges; route payments and adjustments elsewhere');
  }
  const code = readCode(msg, `${at}-7`) ?? (() => { throw missing(`${at}-7`, 'transaction code', 'send the charge master code in FT1-7.1'); })();
  // FT1-4 transaction date (DR in v2.5+: first component is the start)
  const serviceDate = isoAt(msg, `${at}-4.1`, 'transaction date') ?? (() => { throw missing(`${at}-4`, 'transaction date', 'send the service date in FT1-4'); })();
  // FT1-10 quantity: optional in HL7, 1 when empty
  const qtyText = opt(msg, `${at}-10`) ?? '1';
  const quantity = normalizeDecimal(qtyText) ?? (() => { throw fieldInvalid(`${at}-10`, 'transaction quantity', qtyText, 'send a number, e.g. 2'); })();
  const extended = readMoney(msg, `${at}-11`, 'extended amount', options);
  const unit = readMoney(msg, `${at}-12`, 'unit amount', options);
  const unitCost = readMoney(msg, `${at}-22`, 'unit cost', options);
  const procedureCode = readCode(msg, `${at}-25`);
  const department = opt(msg, `${at}-13.1`);
  const negative = quantity.startsWith('-') || (extended?.amount.startsWith('-') ?? false);
  const credit = isCreditType || negative;
  const txId = opt(msg, `${at}-2.1`) ?? opt(msg, `${at}-2`);
  let enrich: Partial<ChargeEvent> = {};
  if (options.crosswalk) {
    const row = lookupCharge(options.crosswalk, code.code, `${at}-7`);
    enrich = { glAccount: row.glAccount, ...(row.itemId ? { itemId: row.itemId } : {}), ...((row.costCenter ?? department) ? { costCenter: row.costCenter ?? department } : {}) };
  }
  const data = ChargeEventSchema.parse({
    // FT1-2 transaction id when sent; else the message control id and FT1 position (stable on resend)
    id: txId ? `${visit}/${txId}` : `${visit}/${msg.controlId}/${at}`,
    kind: credit ? 'credit' : 'charge',
    transactionType: txType,
    code,
    ...(procedureCode ? { procedureCode } : {}),
    serviceDate,
    quantity: abs(quantity),
    ...(extended ? { extendedAmount: absMoney(extended) } : {}),
    ...(unit ? { unitAmount: absMoney(unit) } : {}),
    ...(unitCost ? { unitCost: absMoney(unitCost) } : {}),
    ...(department ? { department } : {}),
    encounter: visit,
    patientMrn: mrn,
    ...enrich,
  });
  const correlation = { encounter: visit, patient: mrn, ...(data.itemId ? { item: data.itemId } : {}) };
  const occurredAt = isoAt(msg, `${at}-5`, 'transaction posting date') ?? eventTime(msg);
  if (credit) return { id: `charge.reversed/${data.id}`, type: 'charge.reversed', occurredAt, correlation, version: 'v1', data };
  return { id: `charge.captured/${data.id}`, type: 'charge.captured', occurredAt, correlation, version: 'v1', data };
}

function readCode(msg: Hl7Message, path: string): Code | undefined {
  const code = opt(msg, `${path}.1`);
  if (code === undefined) return undefined;
  const display = opt(msg, `${path}.2`);
  const system = opt(msg, `${path}.3`);
  return { code, ...(system ? { system: codeSystemOf(system) } : {}), ...(display ? { display } : {}) };
}

/** CP (v2.5+): component 1 is MO = quantity & denomination; older senders put a bare number. */
function readMoney(msg: Hl7Message, path: string, what: string, options: DftOptions): Money | undefined {
  const amountText = opt(msg, `${path}.1.1`);
  if (amountText === undefined) return undefined;
  const amount = normalizeDecimal(amountText);
  if (amount === undefined) throw fieldInvalid(`${path}.1.1`, what, amountText, 'send a decimal amount, e.g. 100.00&USD');
  const currency = (opt(msg, `${path}.1.2`) ?? options.defaultCurrency ?? 'USD').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw fieldInvalid(`${path}.1.2`, `${what} currency`, currency, 'send an ISO 4217 code, e.g. USD');
  return { amount, currency };
}

function abs(d: string): string {
  return d.startsWith('-') ? d.slice(1) : d;
}
function absMoney(m: Money): Money {
  return { amount: abs(m.amount), currency: m.currency };
}
