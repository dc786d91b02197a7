/**
 * Typed client for Loom's `/api/v1` as the console uses it. Types live in ../contract.ts (shared
 * with the API test double); paths and calls live here. Pages never call `fetch` directly.
 *
 * @example
 * const { items } = await api.listChannels();
 */

import type { AlertsView, Channel, DeadLetter, MessageQuery, MessageView, MessageSummary, Page, ProcessDetail, ProcessPage, ProcessQuery, Sla, Throughput } from '../contract.js';
import type { CatalogEntry, CatalogImpact } from './catalog-layout.js';
import { toChannel, toDeadLetter, toMessageView, toPage, toSummary } from './normalize.js';

export type * from '../contract.js';

/** A shadowed channel's counts (GET /api/v1/shadow). */
export interface ShadowRun { channel: string; match: number; differ: number; 'loom-only': number; 'legacy-only': number }
/** One compared output (GET /api/v1/shadow/{channel}). */
export interface ShadowResult {
  channel: string; destination: string; key: string; status: 'match' | 'differ' | 'loom-only' | 'legacy-only'; updatedAt: string;
  differences: Array<{ path: string; loom?: string; legacy?: string }>;
}

/** An API error, carrying the problem+json `code` (a LoomError code) when the server sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * `undefined` when the engine does not mount the route (404): an empty state, not an error.
 *
 * @example const slas = await optional(api.slas);
 */
export async function optional<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

/** Base URL of the API; the console is served by the engine, so same origin by default. */
const BASE = '';

function query(params: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
  }
  let res: Response;
  try {
    res = await fetch(BASE + path, init);
  } catch (err) {
    throw new ApiError(0, 'console.api.unreachable', `the engine did not answer ${path}: ${String(err)}`);
  }
  const text = await res.text();
  let data: unknown = undefined;
  let parsed = text === '';
  if (text) {
    try {
      data = JSON.parse(text);
      parsed = true;
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const problem = (data ?? {}) as { code?: unknown; detail?: unknown; title?: unknown; message?: unknown };
    const code = typeof problem.code === 'string' ? problem.code : `http.${res.status}`;
    const msg =
      [problem.detail, problem.message, problem.title].find((v): v is string => typeof v === 'string') ??
      `${method} ${path} answered ${res.status}`;
    throw new ApiError(res.status, code, msg);
  }
  if (!parsed) {
    throw new ApiError(res.status, 'console.api.not-json', `${method} ${path} did not answer JSON: is this the Loom API?`);
  }
  return data as T;
}

const enc = encodeURIComponent;

export const api = {
  health: () => request<{ status: string }>('GET', '/healthz'),
  listChannels: async (): Promise<Page<Channel>> => toPage(await request<unknown>('GET', '/api/v1/channels'), toChannel),
  pauseChannel: async (name: string): Promise<Channel> => toChannel(await request<unknown>('POST', `/api/v1/channels/${enc(name)}/pause`)),
  resumeChannel: async (name: string): Promise<Channel> => toChannel(await request<unknown>('POST', `/api/v1/channels/${enc(name)}/resume`)),
  listMessages: async (q: MessageQuery): Promise<Page<MessageSummary>> =>
    toPage(await request<unknown>('GET', `/api/v1/messages${query(q)}`), toSummary),
  getMessage: async (id: string): Promise<MessageView> => toMessageView(await request<unknown>('GET', `/api/v1/messages/${enc(id)}`)),
  replayMessage: (id: string) => request<{ messageId: string }>('POST', `/api/v1/messages/${enc(id)}/replay`, {}),
  listDeadLetters: async (q: { channel?: string; limit?: number; cursor?: string }): Promise<Page<DeadLetter>> =>
    toPage(await request<unknown>('GET', `/api/v1/dead-letters${query(q)}`), toDeadLetter),
  replayDeadLetter: (id: string) => request<unknown>('POST', `/api/v1/dead-letters/${enc(id)}/replay`, {}),
  discardDeadLetter: (id: string, reason: string) =>
    request<unknown>('POST', `/api/v1/dead-letters/${enc(id)}/discard`, { reason }),
  throughput: (minutes = 15) => request<Throughput>('GET', `/api/v1/stats/throughput${query({ minutes })}`),
  /** 404 means this engine does not mount the alert routes; callers show an empty state, not an error. */
  alerts: () => request<AlertsView>('GET', '/api/v1/alerts'),
  silenceAlert: (name: string, minutes: number, reason: string) =>
    request<{ name: string; until: string }>('POST', `/api/v1/alerts/${enc(name)}/silence`, { minutes, reason }),
  slas: () => request<Page<Sla>>('GET', '/api/v1/slas'),
  listProcesses: (q: ProcessQuery) => request<ProcessPage>('GET', `/api/v1/processes${query(q)}`),
  /** `id` is `<process>/<key>`: encoded whole (`%2F`) so it stays one path segment for `/processes/{id}`. */
  getProcess: (id: string) => request<ProcessDetail>('GET', `/api/v1/processes/${enc(id)}`),
  shadowRuns: () => request<{ items: ShadowRun[] }>('GET', '/api/v1/shadow'),
  shadowResults: (channel: string, status?: ShadowResult['status']) => request<{ items: ShadowResult[] }>('GET', `/api/v1/shadow/${enc(channel)}${query({ status })}`),
  catalog: (down?: string) => request<{ entries: CatalogEntry[]; impact?: CatalogImpact }>('GET', `/api/v1/catalog${query({ down })}`),
};
