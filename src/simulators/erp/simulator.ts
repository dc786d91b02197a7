import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, listenHttp, readJson, sendJson } from '../http.js';
import { SimLog, type SimLogEntry } from '../sim-log.js';
import { ERP_DOCTYPES, ErpRefusal, ErpStore, matchesFilters, type ErpDoc, type ErpDocType } from './store.js';

export type ErpFaultMode = 'ok' | 'down' | 'slow';
export interface ErpFault { mode: ErpFaultMode; delayMs?: number }

export interface ErpSimulatorOptions {
  port?: number;
  host?: string;
  /** API key and secret accepted in `Authorization: token KEY:SECRET`. */
  apiKey?: string;
  apiSecret?: string;
  /** Create the catalog's suppliers, items and cost centers at start (default true). */
  seedMasterData?: boolean;
  logFile?: string;
}

export interface ErpStats {
  requests: number;
  /** Documents created (an idempotent replay does not count). */
  creates: number;
  updates: number;
  idempotentReplays: number;
  authRefusals: number;
  faultRefusals: number;
  createdByDoctype: Record<string, number>;
  fault: ErpFault;
  log: SimLogEntry[];
}

export interface ErpSimulator {
  url: string;
  port: number;
  /** `token KEY:SECRET`, ready for an Authorization header. */
  authorization: string;
  setFault(fault: ErpFault): void;
  /** All documents by DocType (copies), for assertions. */
  state(): Record<string, ErpDoc[]>;
  stats(): ErpStats;
  stop(): Promise<void>;
}

/**
 * A cloud ERP peer shaped like ERPNext's REST API (`/api/resource/{DocType}`), with token auth,
 * Idempotency-Key dedup and fault injection (`/__sim/fault`), state at `/__sim/state`.
 *
 * @example
 * const erp = await startErpSimulator();
 * await fetch(`${erp.url}/api/resource/Supplier`, { headers: { authorization: erp.authorization } });
 */
export async function startErpSimulator(options: ErpSimulatorOptions = {}): Promise<ErpSimulator> {
  const key = options.apiKey ?? 'loom';
  const secret = options.apiSecret ?? 'loom-secret';
  const authorization = `token ${key}:${secret}`;
  const store = new ErpStore(options.seedMasterData ?? true);
  const log = new SimLog('erp', { file: options.logFile });
  const idempotency = new Map<string, { doctype: ErpDocType; name: string }>();
  let fault: ErpFault = { mode: 'ok' };
  const counts = { requests: 0, creates: 0, updates: 0, idempotentReplays: 0, authRefusals: 0, faultRefusals: 0 };
  const createdByDoctype: Record<string, number> = {};

  const state = (): Record<string, ErpDoc[]> =>
    Object.fromEntries(ERP_DOCTYPES.map((t) => [t, [...store.table(t).values()].map((d) => structuredClone(d))]));

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.headers.authorization !== authorization) {
      counts.authRefusals++;
      log.write('auth.refused', { path: url.pathname });
      sendJson(res, 401, { exc_type: 'AuthenticationError', message: 'Invalid or missing API key: send Authorization: token KEY:SECRET' });
      return;
    }
    const m = /^\/api\/resource\/([^/]+)(?:\/(.+))?$/.exec(url.pathname);
    const doctype = m ? decodeURIComponent(m[1]) : '';
    if (!m || !(ERP_DOCTYPES as readonly string[]).includes(doctype)) {
      sendJson(res, 404, { exc_type: 'DoesNotExistError', message: `DocType ${doctype || url.pathname} not found` });
      return;
    }
    const t = doctype as ErpDocType;
    const name = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    if (req.method === 'GET' && name === undefined) {
      const filters = parseParam(url, 'filters');
      const fields = parseParam(url, 'fields');
      const limit = Number(url.searchParams.get('limit_page_length') ?? url.searchParams.get('limit') ?? 20);
      const start = Number(url.searchParams.get('limit_start') ?? 0);
      const rows = [...store.table(t).values()].filter((d) => matchesFilters(d, filters));
      const page = limit === 0 ? rows.slice(start) : rows.slice(start, start + limit);
      const wanted = Array.isArray(fields) ? fields.map(String) : ['name'];
      sendJson(res, 200, { data: page.map((d) => (wanted.includes('*') ? d : Object.fromEntries(wanted.map((f) => [f, d[f] ?? null])))) });
      return;
    }
    if (req.method === 'GET' && name !== undefined) {
      sendJson(res, 200, { data: store.get(t, name) });
      return;
    }
    const body = await readJson(req);
    if (!isRecord(body)) throw new ErpRefusal(417, 'ValidationError', 'the request body must be a JSON object');
    if (req.method === 'POST' && name === undefined) {
      const idemKey = req.headers['idempotency-key'];
      const k = typeof idemKey === 'string' && idemKey !== '' ? idemKey : undefined;
      const prior = k === undefined ? undefined : idempotency.get(k);
      if (prior) {
        counts.idempotentReplays++;
        log.write('idempotent.replay', { doctype: prior.doctype, name: prior.name, key: k });
        res.setHeader('idempotent-replayed', 'true');
        sendJson(res, 200, { data: store.get(prior.doctype, prior.name) });
        return;
      }
      const doc = store.insert(t, body);
      if (k !== undefined) idempotency.set(k, { doctype: t, name: doc.name });
      counts.creates++;
      createdByDoctype[t] = (createdByDoctype[t] ?? 0) + 1;
      log.write('created', { doctype: t, name: doc.name, ...(k ? { key: k } : {}) });
      sendJson(res, 200, { data: doc });
      return;
    }
    if (req.method === 'PUT' && name !== undefined) {
      const doc = store.update(t, name, body);
      counts.updates++;
      log.write('updated', { doctype: t, name });
      sendJson(res, 200, { data: doc });
      return;
    }
    sendJson(res, 405, { exc_type: 'MethodNotAllowed', message: `${req.method ?? '?'} is not allowed here` });
  }

  const listener = await listenHttp(async (req, res, url) => {
    if (url.pathname === '/__sim/fault' && req.method === 'POST') {
      const b = await readJson(req);
      if (!isRecord(b) || !['ok', 'down', 'slow'].includes(String(b.mode))) {
        sendJson(res, 400, { message: 'send {"mode":"ok"|"down"|"slow","delayMs"?:number}' });
        return;
      }
      fault = { mode: b.mode as ErpFaultMode, ...(typeof b.delayMs === 'number' ? { delayMs: b.delayMs } : {}) };
      log.write('fault.set', { ...fault });
      sendJson(res, 200, fault);
      return;
    }
    if (url.pathname === '/__sim/state' && req.method === 'GET') {
      sendJson(res, 200, { docs: state(), stats: { ...counts, createdByDoctype } });
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      sendJson(res, 404, { exc_type: 'DoesNotExistError', message: `no route ${url.pathname}` });
      return;
    }
    counts.requests++;
    if (fault.mode === 'down') {
      counts.faultRefusals++;
      sendJson(res, 503, { exc_type: 'ServiceUnavailable', message: 'ERP is down for maintenance (simulated)' });
      return;
    }
    if (fault.mode === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
    try {
      await handleApi(req, res, url);
    } catch (err) {
      if (err instanceof ErpRefusal) sendJson(res, err.status, { exc_type: err.excType, message: err.message });
      else if (err instanceof SyntaxError) sendJson(res, 400, { exc_type: 'ValidationError', message: `body or parameter is not JSON: ${err.message}` });
      else throw err;
    }
  }, options);

  return {
    url: listener.url,
    port: listener.port,
    authorization,
    setFault: (f) => { fault = { ...f }; log.write('fault.set', { ...fault }); },
    state,
    stats: () => ({ ...counts, createdByDoctype: { ...createdByDoctype }, fault: { ...fault }, log: [...log.entries] }),
    stop: () => listener.close(),
  };
}

function parseParam(url: URL, name: string): unknown {
  const raw = url.searchParams.get(name);
  return raw === null || raw === '' ? undefined : (JSON.parse(raw) as unknown);
}
