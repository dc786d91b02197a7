import { afterEach, describe, expect, it } from 'vitest';
import { CATALOG, startProcurementSimulator, type ProcurementPo, type ProcurementSimulator, type Requisition } from '../../src/simulators/index.js';

let sim: ProcurementSimulator | undefined;
afterEach(async () => { await sim?.stop(); sim = undefined; });

async function post<T>(s: ProcurementSimulator, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> {
  const r = await fetch(`${s.url}${path}`, { method: 'POST', headers: { authorization: s.authorization, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as T };
}

describe('procurement SaaS simulator', () => {
  it('serves contract prices, prices POs against contract and flags off-contract lines', async () => {
    sim = await startProcurementSimulator();
    const drape = CATALOG.find((i) => i.sku === 'SUP-DRAPE')!;
    const price = (await (await fetch(`${sim.url}/api/contract-prices?gtin=${drape.gtin}`, { headers: { authorization: sim.authorization } })).json()) as { price: number };
    expect(price.price).toBe(drape.contractPrice);
    const po = await post<ProcurementPo>(sim, '/api/purchase-orders', { poNumber: 'PO-9', supplier: 'VENDOR-A', lines: [{ sku: drape.sku, quantity: 10 }, { gtin: CATALOG[0].gtin, quantity: 1, unitPrice: CATALOG[0].contractPrice + 100 }] }, { 'idempotency-key': 'k1' });
    expect(po.status).toBe(201);
    expect(po.json.lines.map((l) => l.offContract)).toEqual([false, true]);
    expect(po.json.total).toBe(10 * drape.contractPrice + CATALOG[0].contractPrice + 100);
    const again = await post<ProcurementPo>(sim, '/api/purchase-orders', { poNumber: 'PO-9', supplier: 'VENDOR-A', lines: [{ sku: drape.sku, quantity: 10 }] }, { 'idempotency-key': 'k1' });
    expect(again.json.poNumber).toBe('PO-9');
    expect(sim.state().purchaseOrders).toHaveLength(1);
    const st = await post<ProcurementPo>(sim, '/api/purchase-orders/PO-9/status', { status: 'acknowledged' });
    expect(st.json.history.map((h) => h.status)).toEqual(['created', 'acknowledged']);
    expect((await post(sim, '/api/purchase-orders', { supplier: 'NOBODY', lines: [{ sku: drape.sku, quantity: 1 }] })).status).toBe(422);
    expect((await fetch(`${sim.url}/api/contracts`)).status).toBe(401);
  });

  it('holds big requisitions for approval and converts approved ones into one PO per supplier', async () => {
    sim = await startProcurementSimulator({ approvalThreshold: 1000 });
    const r = await post<Requisition>(sim, '/api/requisitions', { requester: 'or-nurse', location: 'OR-1', lines: [{ sku: 'IMP-HIP-STEM', quantity: 1 }, { sku: 'SUP-GAUZE', quantity: 20 }] });
    expect(r.json.status).toBe('pending-approval');
    expect((await post(sim, `/api/requisitions/${r.json.id}/convert`, {})).status).toBe(409);
    await post(sim, `/api/requisitions/${r.json.id}/approve`, {});
    const conv = await post<Requisition>(sim, `/api/requisitions/${r.json.id}/convert`, {});
    expect(conv.json.status).toBe('ordered');
    expect(conv.json.purchaseOrders).toHaveLength(2);
    const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as { purchaseOrders: ProcurementPo[] };
    expect(state.purchaseOrders.map((p) => p.supplier).sort()).toEqual(['VENDOR-A', 'VENDOR-B']);
  });
});
