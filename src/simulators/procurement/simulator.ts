import type { IncomingMessage, ServerResponse } from 'node:http';
import { CATALOG, findItem, SUPPLIERS } from '../catalog.js';
import { isRecord, listenHttp, readJson, sendJson } from '../http.js';
import { SimLog, type SimLogEntry } from '../sim-log.js';

export interface ProcurementSimulatorOptions {
  port?: number;
  host?: string;
  /** Bearer token accepted in `Authorization: Bearer TOKEN` (default `procurement-token`). */
  token?: string;
  /** Requisitions above this total wait for approval (default 5000). */
  approvalThreshold?: number;
  logFile?: string;
}

export interface PoLine { lineNumber: number; sku: string; gtin: string; quantity: number; uom: string; unitPrice: number; contractPrice: number; offContract: boolean }
export interface ProcurementPo { poNumber: string; supplier: string; requisitionId?: string; location?: string; status: string; createdAt: string; lines: PoLine[]; total: number; history: { status: string; at: string }[] }
export interface Requisition { id: string; requester: string; costCenter?: string; location?: string; status: 'pending-approval' | 'approved' | 'ordered'; lines: { sku: string; quantity: number }[]; total: number; purchaseOrders: string[] }

export interface ProcurementSimulator {
  url: string;
  port: number;
  authorization: string;
  state(): { requisitions: Requisition[]; purchaseOrders: ProcurementPo[]; contracts: ReturnType<typeof contracts> };
  stats(): { requests: number; purchaseOrdersCreated: number; idempotentReplays: number; authRefusals: number; log: SimLogEntry[] };
  stop(): Promise<void>;
}

/** One contract per supplier, with the catalog's contract prices. */
function contracts() {
  return SUPPLIERS.map((s) => ({
    contractId: `CTR-${s.id}`, supplier: s.id, supplierName: s.name, validFrom: '2026-01-01', validTo: '2026-12-31', currency: 'USD',
    items: CATALOG.filter((i) => i.vendor === s.id).map((i) => ({ sku: i.sku, gtin: i.gtin, description: i.description, uom: i.uom, price: i.contractPrice })),
  }));
}

const PO_STATUSES = ['created', 'sent', 'acknowledged', 'shipped', 'received', 'invoiced', 'matched', 'paid', 'exception', 'cancelled'];

/**
 * The procurement SaaS: contracts with per-item prices, requisitions (approval above a threshold),
 * purchase orders priced against contract (off-contract lines flagged), status updates, `/__sim/state`.
 *
 * @example
 * const p = await startProcurementSimulator();
 * await fetch(`${p.url}/api/purchase-orders`, { method: 'POST', headers: { authorization: p.authorization }, body: JSON.stringify({ supplier: 'VENDOR-A', lines: [{ sku: 'SUP-DRAPE', quantity: 10 }] }) });
 */
export async function startProcurementSimulator(options: ProcurementSimulatorOptions = {}): Promise<ProcurementSimulator> {
  const authorization = `Bearer ${options.token ?? 'procurement-token'}`;
  const threshold = options.approvalThreshold ?? 5000;
  const log = new SimLog('procurement', { file: options.logFile });
  const reqs = new Map<string, Requisition>();
  const pos = new Map<string, ProcurementPo>();
  const idem = new Map<string, string>();
  const counts = { requests: 0, purchaseOrdersCreated: 0, idempotentReplays: 0, authRefusals: 0 };
  let poSeq = 0;

  function lineOf(raw: unknown, n: number): PoLine {
    if (!isRecord(raw) || typeof raw.quantity !== 'number' || !(raw.quantity > 0)) throw new Refusal(422, `line ${n}: quantity must be a positive number`);
    const item = findItem({ sku: typeof raw.sku === 'string' ? raw.sku : undefined, gtin: typeof raw.gtin === 'string' ? raw.gtin : undefined });
    if (!item) throw new Refusal(422, `line ${n}: unknown item ${JSON.stringify(raw.sku ?? raw.gtin)}; use a catalog SKU or GTIN`);
    const unitPrice = typeof raw.unitPrice === 'number' ? raw.unitPrice : item.contractPrice;
    return { lineNumber: n, sku: item.sku, gtin: item.gtin, quantity: raw.quantity, uom: item.uom, unitPrice, contractPrice: item.contractPrice,
      offContract: Math.abs(unitPrice - item.contractPrice) > 0.005 };
  }

  function createPo(body: Record<string, unknown>, requisitionId?: string): ProcurementPo {
    const supplier = String(body.supplier ?? '');
    if (!SUPPLIERS.some((s) => s.id === supplier)) throw new Refusal(422, `unknown supplier "${supplier}"; use one of ${SUPPLIERS.map((s) => s.id).join(', ')}`);
    const rawLines = Array.isArray(body.lines) ? body.lines : [];
    if (rawLines.length === 0) throw new Refusal(422, 'a purchase order needs lines');
    const lines = rawLines.map((l, i) => lineOf(l, i + 1));
    const poNumber = typeof body.poNumber === 'string' && body.poNumber !== '' ? body.poNumber : `PS-${String(++poSeq).padStart(6, '0')}`;
    const existing = pos.get(poNumber);
    if (existing) return existing;
    const at = new Date().toISOString();
    const po: ProcurementPo = { poNumber, supplier, ...(requisitionId ? { requisitionId } : {}), ...(typeof body.location === 'string' ? { location: body.location } : {}),
      status: 'created', createdAt: at, lines, total: Math.round(lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0) * 100) / 100, history: [{ status: 'created', at }] };
    pos.set(poNumber, po);
    counts.purchaseOrdersCreated++;
    const off = lines.filter((l) => l.offContract);
    log.write('po.created', { poNumber, supplier, lines: lines.length, ...(off.length ? { offContract: off.map((l) => l.sku) } : {}) });
    return po;
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const p = url.pathname;
    const m = req.method ?? 'GET';
    if (m === 'GET' && p === '/api/contracts') return sendJson(res, 200, { data: contracts() });
    if (m === 'GET' && p === '/api/contract-prices') {
      const item = findItem({ sku: url.searchParams.get('sku') ?? undefined, gtin: url.searchParams.get('gtin') ?? undefined });
      if (!item) return sendJson(res, 404, { error: 'no contract price for that item' });
      return sendJson(res, 200, { sku: item.sku, gtin: item.gtin, supplier: item.vendor, contractId: `CTR-${item.vendor}`, price: item.contractPrice, currency: 'USD', uom: item.uom });
    }
    if (m === 'GET' && p === '/api/requisitions') return sendJson(res, 200, { data: [...reqs.values()] });
    if (m === 'GET' && p === '/api/purchase-orders') {
      const status = url.searchParams.get('status');
      const supplier = url.searchParams.get('supplier');
      return sendJson(res, 200, { data: [...pos.values()].filter((po) => (!status || po.status === status) && (!supplier || po.supplier === supplier)) });
    }
    const one = /^\/api\/(requisitions|purchase-orders)\/([^/]+)(?:\/(approve|convert|status))?$/.exec(p);
    if (m === 'GET' && one && !one[3]) {
      const doc = one[1] === 'requisitions' ? reqs.get(decodeURIComponent(one[2])) : pos.get(decodeURIComponent(one[2]));
      return doc ? sendJson(res, 200, doc) : sendJson(res, 404, { error: `${one[1]} ${one[2]} not found` });
    }
    if (m !== 'POST') return sendJson(res, 405, { error: `${m} not allowed` });
    const body = (await readJson(req)) ?? {};
    if (!isRecord(body)) throw new Refusal(400, 'body must be a JSON object');
    const key = typeof req.headers['idempotency-key'] === 'string' ? `${p}|${req.headers['idempotency-key']}` : undefined;
    if (key && idem.has(key)) {
      counts.idempotentReplays++;
      const id = idem.get(key) as string;
      return sendJson(res, 200, pos.get(id) ?? reqs.get(id));
    }
    if (p === '/api/purchase-orders') {
      const po = createPo(body);
      if (key) idem.set(key, po.poNumber);
      return sendJson(res, 201, po);
    }
    if (p === '/api/requisitions') {
      const lines = (Array.isArray(body.lines) ? body.lines : []).map((l, i) => lineOf(l, i + 1));
      if (lines.length === 0) throw new Refusal(422, 'a requisition needs lines');
      const total = Math.round(lines.reduce((s, l) => s + l.quantity * l.contractPrice, 0) * 100) / 100;
      const r: Requisition = { id: `REQ-${String(reqs.size + 1).padStart(6, '0')}`, requester: String(body.requester ?? 'unknown'),
        ...(typeof body.costCenter === 'string' ? { costCenter: body.costCenter } : {}), ...(typeof body.location === 'string' ? { location: body.location } : {}),
        status: total > threshold ? 'pending-approval' : 'approved', lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), total, purchaseOrders: [] };
      reqs.set(r.id, r);
      if (key) idem.set(key, r.id);
      log.write('requisition.created', { id: r.id, status: r.status, total });
      return sendJson(res, 201, r);
    }
    if (one?.[1] === 'requisitions' && one[3]) {
      const r = reqs.get(decodeURIComponent(one[2]));
      if (!r) return sendJson(res, 404, { error: `requisition ${one[2]} not found` });
      if (one[3] === 'approve') { if (r.status === 'pending-approval') r.status = 'approved'; return sendJson(res, 200, r); }
      if (one[3] === 'convert') {
        if (r.status === 'pending-approval') throw new Refusal(409, `requisition ${r.id} waits for approval (total ${r.total} > ${threshold})`);
        if (r.status === 'approved') {
          for (const s of SUPPLIERS) {
            const lines = r.lines.filter((l) => findItem({ sku: l.sku })?.vendor === s.id);
            if (lines.length) r.purchaseOrders.push(createPo({ supplier: s.id, lines, ...(r.location ? { location: r.location } : {}) }, r.id).poNumber);
          }
          r.status = 'ordered';
        }
        return sendJson(res, 200, r);
      }
    }
    if (one?.[1] === 'purchase-orders' && one[3] === 'status') {
      const po = pos.get(decodeURIComponent(one[2]));
      if (!po) return sendJson(res, 404, { error: `purchase order ${one[2]} not found` });
      if (!PO_STATUSES.includes(String(body.status))) throw new Refusal(422, `status must be one of ${PO_STATUSES.join(', ')}`);
      po.status = String(body.status);
      po.history.push({ status: po.status, at: new Date().toISOString() });
      log.write('po.status', { poNumber: po.poNumber, status: po.status });
      return sendJson(res, 200, po);
    }
    sendJson(res, 404, { error: `no route ${p}` });
  }

  const listener = await listenHttp(async (req, res, url) => {
    if (url.pathname === '/__sim/state') return sendJson(res, 200, { requisitions: [...reqs.values()], purchaseOrders: [...pos.values()], contracts: contracts() });
    counts.requests++;
    if (req.headers.authorization !== authorization) {
      counts.authRefusals++;
      return sendJson(res, 401, { error: 'send Authorization: Bearer <token>' });
    }
    try {
      await route(req, res, url);
    } catch (err) {
      if (err instanceof Refusal) sendJson(res, err.status, { error: err.message });
      else if (err instanceof SyntaxError) sendJson(res, 400, { error: `body is not JSON: ${err.message}` });
      else throw err;
    }
  }, options);

  return {
    url: listener.url,
    port: listener.port,
    authorization,
    state: () => structuredClone({ requisitions: [...reqs.values()], purchaseOrders: [...pos.values()], contracts: contracts() }),
    stats: () => ({ ...counts, log: [...log.entries] }),
    stop: () => listener.close(),
  };
}

class Refusal extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}
