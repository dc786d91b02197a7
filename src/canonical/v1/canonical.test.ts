import { describe, expect, it } from 'vitest';
import { CanonicalEvent, ChargeEvent, CostPosting, Money, allCanonicalJsonSchemas, canonicalJsonSchema, eventTypes, phiFields, phiRedactPaths } from './index.js';

describe('canonical v1', () => {
  it('rejects floats for money and accepts decimal strings', () => {
    expect(Money.safeParse({ amount: '12.50', currency: 'USD' }).success).toBe(true);
    expect(Money.safeParse({ amount: 12.5, currency: 'USD' }).success).toBe(false);
    expect(Money.safeParse({ amount: '12,50', currency: 'USD' }).success).toBe(false);
  });

  it('requires balanced cost postings', () => {
    const base = { id: 'p1', postingDate: '2025-01-02', currency: 'USD', source: 'c1' };
    const ok = CostPosting.safeParse({ ...base, lines: [{ account: 'A', debit: '10.5', credit: '0' }, { account: 'B', debit: '0', credit: '10.50' }] });
    expect(ok.success).toBe(true);
    const bad = CostPosting.safeParse({ ...base, lines: [{ account: 'A', debit: '10.5', credit: '0' }, { account: 'B', debit: '0', credit: '10.49' }] });
    expect(bad.success).toBe(false);
  });

  it('discriminates events on type and checks data against that type', () => {
    const charge = { id: 'c1', kind: 'charge', transactionType: 'CG', code: { code: '71045' }, serviceDate: '2019-11-22', quantity: '2' };
    const ev = { id: 'e1', type: 'charge.captured', occurredAt: '2019-11-22T10:00:00Z', correlation: { encounter: 'V1' }, data: charge };
    expect(CanonicalEvent.parse(ev).type).toBe('charge.captured');
    expect(ChargeEvent.parse(charge).quantity).toBe('2');
    expect(CanonicalEvent.safeParse({ ...ev, type: 'encounter.discharged' }).success).toBe(false);
    expect(CanonicalEvent.safeParse({ ...ev, type: 'nope' }).success).toBe(false);
    expect(eventTypes).toHaveLength(11);
  });

  it('exports JSON Schema for every entity', () => {
    const all = allCanonicalJsonSchemas();
    expect(Object.keys(all)).toContain('DeviceUse');
    const s = canonicalJsonSchema('Item') as { properties: Record<string, unknown>; title: string };
    expect(s.title).toBe('Item');
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['gtin', 'hibccDi', 'uomConversions', 'contractPrices']));
    const ev = canonicalJsonSchema('Event') as { oneOf?: unknown[]; anyOf?: unknown[] };
    expect((ev.oneOf ?? ev.anyOf ?? []).length).toBe(11);
  });

  it('lists PHI fields and redact paths', () => {
    expect(phiFields.Patient).toContain('mrn');
    expect(phiRedactPaths()).toEqual(expect.arrayContaining(['correlation.patient', 'data.patientMrn', '*.data.mrn']));
  });
});
