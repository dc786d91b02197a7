import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A started HTTP listener on 127.0.0.1 (port 0 = a free port). */
export interface HttpListener {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export type HttpHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

/**
 * Listen with a handler; thrown errors become a 500 JSON body instead of crashing the simulator.
 *
 * @example
 * const l = await listenHttp((req, res) => sendJson(res, 200, { ok: true }), { port: 0 });
 */
export async function listenHttp(handler: HttpHandler, options: { port?: number; host?: string } = {}): Promise<HttpListener> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    Promise.resolve(handler(req, res, url)).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { exc_type: 'InternalError', message: err instanceof Error ? err.message : String(err) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Read a JSON body; undefined when empty, a SyntaxError when not JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Poll until the predicate holds or the deadline passes (no fixed sleeps). */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
