import type { ChargeEvent, CostPosting, EventOf } from '../canonical/index.js';
import { CostPosting as CostPostingSchema } from '../canonical/index.js';
import type { Crosswalk } from './crosswalk.js';
import { lookupCharge } from './crosswalk.js';
import { fieldMissing } from './errors.js';
import { mulDecimal } from './decimal.js';

export interface CostPostingOptions {
  company?: string;
  /** Credit account when the crosswalk row has no offset account (e.g. "Stock In Hand - H"). */
  defaultOffsetAccount?: string;
}

/**
 * The cost side of a charge: debit the crosswalk's expense account on its cost center, credit the
 * inventory (offset) account, amount = unit cost × quantity. A credit (reversal) swaps the sides.
 *
 * @example
 * const posting = costPostingFromCharge(charge, crosswalk, { company: 'Hospital' });
 * posting.lines // [{ account: '5100', debit: '100.00', credit: '0', costCenter: 'OR' }, { account: '1400', ... }]
 */
export function costPostingFromCharge(charge: ChargeEvent, crosswalk: Crosswalk, options: CostPostingOptions = {}): CostPosting {
  if (charge.unitCost === undefined) throw fieldMissing('ChargeEvent.unitCost', 'unit cost (FT1-22)', 'send the unit cost in FT1-22 or cost the item from the item master before posting');
  const row = lookupCharge(crosswalk, charge.code.code, 'ChargeEvent.code');
  const offset = row.offsetAccount ?? options.defaultOffsetAccount;
  if (offset === undefined) throw fieldMissing(`crosswalk ${crosswalk.version} charge ${row.chargeCode} offset_account`, 'offset (credit) account', 'fill offset_account in the crosswalk or pass defaultOffsetAccount');
  const amount = mulDecimal(charge.unitCost.amount, charge.quantity, 2);
  const costCenter = row.costCenter ?? charge.costCenter;
  const debitSide = { account: row.glAccount, ...(costCenter ? { costCenter } : {}) };
  const creditSide = { account: offset };
  const [d, c] = charge.kind === 'credit' ? [creditSide, debitSide] : [debitSide, creditSide];
  return CostPostingSchema.parse({
    id: `cost/${charge.id}${charge.kind === 'credit' ? '/reversal' : ''}`,
    postingDate: charge.serviceDate.slice(0, 10),
    ...(options.company ? { company: options.company } : {}),
    currency: charge.unitCost.currency,
    source: charge.id,
    ...(charge.encounter ? { encounter: charge.encounter } : {}),
    lines: [
      { ...d, debit: amount, credit: '0', memo: `${charge.code.code} x${charge.quantity}` },
      { ...c, debit: '0', credit: amount, memo: `${charge.code.code} x${charge.quantity}` },
    ],
    total: { amount, currency: charge.unitCost.currency },
  });
}

/** Wrap a CostPosting as a `cost.posted` event. */
export function costPostedEvent(posting: CostPosting, occurredAt: string): EventOf<'cost.posted'> {
  return {
    id: `cost.posted/${posting.id}`, type: 'cost.posted', occurredAt,
    correlation: { ...(posting.encounter ? { encounter: posting.encounter } : {}) },
    version: 'v1', data: posting,
  };
}
