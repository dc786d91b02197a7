import { describe, expect, it } from 'vitest';
import { catalog, consumed, HIP, implanted, PACER } from '../test-support.js';
import { implantCaseProcess, NO_PROCEDURE, WAIT_CONSUMPTION, WAIT_PROCEDURE } from './process.js';
import type { ProcessEvent } from '../kernel/index.js';

const p = implantCaseProcess({ catalog, noProcedureAfterMs: 60 * 60_000 });
function run(events: ProcessEvent[]) {
  let state = p.initial();
  const effects = [];
  let last;
  for (const e of events) {
    last = p.apply(state, e);
    state = last.state;
    effects.push(...last.effects);
  }
  return { state, effects, last: last! };
}

describe('implant-case apply (pure)', () => {
  it('waits for the consumption when the EHR documents first, then emits charge, one cost posting and the stock issue', () => {
    const a = run([implanted('V1', HIP.gtin, 'L1', 'S1')]);
    expect(a.last).toMatchObject({ status: 'waiting', waitingFor: WAIT_CONSUMPTION });
    const b = run([implanted('V1', HIP.gtin, 'L1', 'S1'), consumed('V1', HIP.gtin, 'L1', 'S1', 'c1')]);
    expect(b.last.status).toBe('completed');
    expect(b.effects.map((e) => e.key)).toEqual([
      `charge:V1:${HIP.gtin}:L1:S1`, `cost-posting:V1:${HIP.gtin}:L1:S1`, `stock-issue:V1:${HIP.gtin}:L1:S1`,
    ]);
    const je = b.effects[1].payload as { accounts: Array<{ debit_in_account_currency?: number; cost_center?: string }> };
    expect(JSON.stringify(je)).toContain('1850');
    const charge = b.effects[0].payload as { data: { extendedAmount: { amount: string }; unitCost: { amount: string } } };
    expect(charge.data.extendedAmount.amount).toBe('5200.00');
    expect(charge.data.unitCost.amount).toBe('1850.00');
  });

  it('matches a HIBCC-documented device with the GTIN consumption of the same item', () => {
    const di = 'H124HIPSTEM41';
    expect(p.correlate(implanted('V1', HIP.gtin, 'L1', 'S1', undefined, di))).toBe(p.correlate(consumed('V1', HIP.gtin, 'L1', 'S1', 'c1')));
  });

  it('applies a second, different-id duplicate without new effects', () => {
    const r = run([consumed('V1', HIP.gtin, 'L1', 'S1', 'c1'), implanted('V1', HIP.gtin, 'L1', 'S1'), consumed('V1', HIP.gtin, 'L1', 'S1', 'c2')]);
    expect(r.effects).toHaveLength(3);
    expect(r.last.status).toBe('completed');
  });

  it('waits for the procedure record with a due time, and the timer makes it "no procedure documented"', () => {
    const a = run([consumed('V2', PACER.gtin, 'L9', 'S9', 'c1', '2025-03-01T10:00:00Z')]);
    expect(a.last).toMatchObject({ status: 'waiting', waitingFor: WAIT_PROCEDURE, dueAt: '2025-03-01T11:00:00.000Z' });
    const timer: ProcessEvent = { id: 't', type: 'process.timer', occurredAt: '2025-03-01T11:00:01Z', correlation: {}, data: { dueAt: '2025-03-01T11:00:00.000Z' } };
    const b = p.apply(a.state, timer);
    expect(b.status).toBe('exception');
    expect(b.waitingFor).toContain(NO_PROCEDURE);
    // late documentation still resolves it
    const c = p.apply(b.state, implanted('V2', PACER.gtin, 'L9', 'S9'));
    expect(c.status).toBe('completed');
    expect(c.effects).toHaveLength(3);
  });

  it('an unknown GTIN is a visible business exception, not a crash', () => {
    const r = run([consumed('V3', '09999999900019', undefined, undefined, 'u1')]);
    expect(r.last.status).toBe('exception');
    expect(r.last.waitingFor).toMatch(/unknown GTIN 09999999900019/);
    expect(r.effects).toEqual([]);
  });

  it('an ERP cost off the contract price is an exception with both prices', () => {
    const off = implantCaseProcess({ catalog: { ...catalog, items: catalog.items.map((i) => (i.sku === HIP.sku ? { ...i, erpCost: '1950.00' } : i)) } });
    let s = off.initial();
    s = off.apply(s, implanted('V4', HIP.gtin, 'L1', 'S1')).state;
    const r = off.apply(s, consumed('V4', HIP.gtin, 'L1', 'S1', 'c1'));
    expect(r.status).toBe('exception');
    expect(r.waitingFor).toContain('price off contract: ERP cost 1950.00 vs contract 1850.00');
    expect(r.effects).toEqual([]);
    const within = implantCaseProcess({ catalog: { ...catalog, items: catalog.items.map((i) => ({ ...i, erpCost: '1850.004' })) }, priceTolerance: '0.01' });
    let t = within.initial();
    t = within.apply(t, implanted('V4', HIP.gtin, 'L1', 'S1')).state;
    expect(within.apply(t, consumed('V4', HIP.gtin, 'L1', 'S1', 'c1')).status).toBe('completed');
  });

  it('ignores plain supplies, returns and events without an encounter', () => {
    expect(p.correlate(consumed('V1', catalog.items[2].gtin, undefined, undefined, 'g1'))).toBeUndefined();
    expect(p.correlate(consumed(undefined, HIP.gtin, 'L1', 'S1', 'x'))).toBeUndefined();
    expect(p.correlate(consumed('V1', HIP.gtin, 'L1', 'S1', 'r', undefined, 'OR-1', 'receive'))).toBeUndefined();
  });
});
