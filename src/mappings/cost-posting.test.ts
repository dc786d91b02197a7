import { describe, expect, it } from 'vitest';
import { CanonicalEvent, CostPosting, type ChargeEvent } from '../canonical/index.js';
import { costPostedEvent, costPostingFromCharge } from './cost-posting.js';
import { loadCrosswalkCsv } from './crosswalk.js';
import { costPostingToErpJournalEntry } from './to-erpnext.js';
import { fixtureText, thrown } from './test-support.js';

const { crosswalk } = loadCrosswalkCsv(fixtureText('crosswalk-v1.csv'));
const charge: ChargeEvent = {
  id: 'V-9001/TX-1', kind: 'charge', transactionType: 'CG', code: { code: 'C1776' }, serviceDate: '2025-03-01',
  quantity: '2', unitCost: { amount: '1850.5050', currency: 'USD' }, encounter: 'V-9001',
};

describe('cost posting from a charge', () => {
  it('debits the expense account on the cost center and credits the inventory account, exactly', () => {
    const p = costPostingFromCharge(charge, crosswalk, { company: 'Hospital' });
    expect(CostPosting.parse(p)).toEqual(p);
    expect(p.lines).toEqual([
      { account: '5100 - Implant Expense - H', costCenter: 'OR - H', debit: '3701.01', credit: '0', memo: 'C1776 x2' },
      { account: '1410 - Implant Inventory - H', debit: '0', credit: '3701.01', memo: 'C1776 x2' },
    ]);
    expect(CanonicalEvent.parse(costPostedEvent(p, '2025-03-01T10:00:00Z')).type).toBe('cost.posted');
  });

  it('a credit swaps the sides and gets its own id', () => {
    const p = costPostingFromCharge({ ...charge, kind: 'credit', transactionType: 'CD' }, crosswalk);
    expect(p.id).toBe('cost/V-9001/TX-1/reversal');
    expect(p.lines[0]).toMatchObject({ account: '1410 - Implant Inventory - H', debit: '3701.01' });
    expect(p.lines[1]).toMatchObject({ account: '5100 - Implant Expense - H', credit: '3701.01', costCenter: 'OR - H' });
  });

  it('refuses without unit cost, without crosswalk row, without offset account', () => {
    const { unitCost: _u, ...noCost } = charge;
    expect(thrown(() => costPostingFromCharge(noCost, crosswalk)).location).toBe('ChargeEvent.unitCost');
    expect(thrown(() => costPostingFromCharge({ ...charge, code: { code: 'NOPE' } }, crosswalk)).code).toBe('mapping.code.unknown');
    const e = thrown(() => costPostingFromCharge({ ...charge, code: { code: '626.2' } }, crosswalk));
    expect(e.code).toBe('mapping.field.missing');
    expect(costPostingFromCharge({ ...charge, code: { code: '626.2' } }, crosswalk, { defaultOffsetAccount: 'Stock' }).lines[1].account).toBe('Stock');
  });
});

describe('ERPNext Journal Entry', () => {
  it('one accounts row per line with debit/credit and cost center; idempotency key in cheque_no', () => {
    const je = costPostingToErpJournalEntry(costPostingFromCharge(charge, crosswalk, { company: 'Hospital' }));
    expect(je).toMatchObject({ doctype: 'Journal Entry', voucher_type: 'Journal Entry', posting_date: '2025-03-01', company: 'Hospital', cheque_no: 'cost/V-9001/TX-1' });
    expect(je.accounts).toEqual([
      { account: '5100 - Implant Expense - H', debit_in_account_currency: 3701.01, credit_in_account_currency: 0, cost_center: 'OR - H', user_remark: 'C1776 x2' },
      { account: '1410 - Implant Inventory - H', debit_in_account_currency: 0, credit_in_account_currency: 3701.01, user_remark: 'C1776 x2' },
    ]);
  });
});
