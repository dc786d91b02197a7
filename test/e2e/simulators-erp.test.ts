import { afterEach, describe, expect, it } from 'vitest';
import { startErpSimulator, type ErpSimulator } from '../../src/simulators/index.js';
import { CATALOG } from '../../src/simulators/catalog.js';

let erp: ErpSimulator | undefined;
afterEach(async () => { await erp?.stop(); erp = undefined; });

async function call(sim: ErpSimulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${sim.url}${path}`, {
    method, headers: { authorization: sim.authorization, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as { data?: unknown; exc_type?: string; message?: string } };
}

const po = { supplier: 'VENDOR-A', transaction_date: '2026-03-02', items: [{ item_code: CATALOG[0].sku, qty: 2, rate: CATALOG[0].contractPrice }] };

describe('ERP simulator (ERPNext-shaped REST)', () => {
  it('serves seeded master data and does list/get/create/update with filters and fields', async () => {
    erp = await startErpSimulator();
    const items = await call(erp, 'GET', `/api/resource/Item?fields=${encodeURIComponent('["item_code","valuation_rate"]')}&limit_page_length=0`);
    expect(items.status).toBe(200);
    expect(items.json.data).toHaveLength(CATALOG.length);
    const filtered = await call(erp, 'GET', `/api/resource/Item?filters=${encodeURIComponent(JSON.stringify([['default_supplier', '=', 'VENDOR-B']]))}`);
    expect((filtered.json.data as { name: string }[]).map((d) => d.name)).toEqual(CATALOG.filter((i) => i.vendor === 'VENDOR-B').map((i) => i.sku));
    const created = await call(erp, 'POST', '/api/resource/Purchase%20Order', po);
    expect(created.status).toBe(200);
    const name = (created.json.data as { name: string }).name;
    expect(name).toMatch(/^PUR-ORD-2026-\d{5}$/);
    const one = await call(erp, 'GET', `/api/resource/Purchase Order/${encodeURIComponent(name)}`);
    expect((one.json.data as { supplier: string }).supplier).toBe('VENDOR-A');
    const upd = await call(erp, 'PUT', `/api/resource/Purchase Order/${encodeURIComponent(name)}`, { status: 'To Receive and Bill' });
    expect((upd.json.data as { status: string }).status).toBe('To Receive and Bill');
    expect((await call(erp, 'GET', '/api/resource/Purchase Order/NOPE')).status).toBe(404);
    const badLink = await call(erp, 'POST', '/api/resource/Purchase Order', { ...po, supplier: 'NOBODY' });
    expect(badLink.status).toBe(417);
    expect(badLink.json.exc_type).toBe('LinkValidationError');
    const unbalanced = await call(erp, 'POST', '/api/resource/Journal Entry', { accounts: [
      { account: 'Implants - LH', debit_in_account_currency: 10, credit_in_account_currency: 0, cost_center: 'Surgery - LH' },
      { account: 'Stock - LH', debit_in_account_currency: 0, credit_in_account_currency: 9 }] });
    expect(unbalanced.status).toBe(417);
    expect(erp.stats().creates).toBe(1);
  });

  it('refuses requests without the right token', async () => {
    erp = await startErpSimulator({ apiKey: 'k', apiSecret: 's' });
    const none = await fetch(`${erp.url}/api/resource/Supplier`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${erp.url}/api/resource/Supplier`, { headers: { authorization: 'token k:wrong' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${erp.url}/api/resource/Supplier`, { headers: { authorization: 'token k:s' } });
    expect(right.status).toBe(200);
    expect(erp.stats().authRefusals).toBe(2);
  });

  it('dedups by Idempotency-Key: same key gives the same document and one effect', async () => {
    erp = await startErpSimulator();
    const je = { posting_date: '2026-03-02', accounts: [
      { account: 'Implants - LH', debit_in_account_currency: 1850, credit_in_account_currency: 0, cost_center: 'Surgery - LH' },
      { account: 'Stock - LH', debit_in_account_currency: 0, credit_in_account_currency: 1850 }] };
    const a = await call(erp, 'POST', '/api/resource/Journal Entry', je, { 'idempotency-key': 'posting-1' });
    const b = await call(erp, 'POST', '/api/resource/Journal Entry', je, { 'idempotency-key': 'posting-1' });
    const c = await call(erp, 'POST', '/api/resource/Journal Entry', je, { 'idempotency-key': 'posting-2' });
    expect((a.json.data as { name: string }).name).toBe((b.json.data as { name: string }).name);
    expect((c.json.data as { name: string }).name).not.toBe((a.json.data as { name: string }).name);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(erp.state()['Journal Entry']).toHaveLength(2);
    expect(erp.stats()).toMatchObject({ creates: 2, idempotentReplays: 1 });
    const st = (await (await fetch(`${erp.url}/__sim/state`)).json()) as { docs: Record<string, unknown[]> };
    expect(st.docs['Journal Entry']).toHaveLength(2);
  });

  it('goes down and slows down on command (admin endpoint and programmatic)', async () => {
    erp = await startErpSimulator();
    const set = await fetch(`${erp.url}/__sim/fault`, { method: 'POST', body: JSON.stringify({ mode: 'down' }) });
    expect(set.status).toBe(200);
    expect((await call(erp, 'GET', '/api/resource/Supplier')).status).toBe(503);
    expect((await call(erp, 'POST', '/api/resource/Purchase Order', po)).status).toBe(503);
    expect(erp.state()['Purchase Order']).toHaveLength(0);
    erp.setFault({ mode: 'slow', delayMs: 300 });
    const t0 = Date.now();
    expect((await call(erp, 'GET', '/api/resource/Supplier')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    erp.setFault({ mode: 'ok' });
    const t1 = Date.now();
    expect((await call(erp, 'GET', '/api/resource/Supplier')).status).toBe(200);
    expect(Date.now() - t1).toBeLessThan(280);
    expect(erp.stats().faultRefusals).toBe(2);
  });
});
