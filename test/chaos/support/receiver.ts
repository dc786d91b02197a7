// Idempotent HTTP receiver for chaos tests: one effect per Idempotency-Key (what an ERP with
// idempotency does), every request counted, and it can go down and come back on the same port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ChaosReceiver {
  url: string;
  port: number;
  /** Idempotency-Key → first body. */
  effects: Map<string, string>;
  /** Idempotency-Key → requests seen (redeliveries after a crash show up as > 1). */
  hits: Map<string, number>;
  requests: number;
  /** Answer this status instead of accepting (e.g. 500 for a failing ERP). */
  failWith: number | undefined;
  /** Share of requests answered 503 at random (a flaky ERP), 0..1. */
  failRate: number;
  /** Milliseconds to hold each answer (a slow ERP). */
  delayMs: number;
  up: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Start on 127.0.0.1 (port 0 the first time; `start()` after `stop()` reuses the port). */
export async function startChaosReceiver(): Promise<ChaosReceiver> {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const state: ChaosReceiver = {
    url: '',
    port: 0,
    effects: new Map(),
    hits: new Map(),
    requests: 0,
    failWith: undefined,
    failRate: 0,
    delayMs: 0,
    up: false,
    async stop() {
      state.up = false;
      const s = server;
      server = undefined;
      if (!s) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const answer = (): void => {
            state.requests++;
            if (state.failWith || (state.failRate > 0 && Math.random() < state.failRate)) {
              res.writeHead(state.failWith ?? 503).end('failing on purpose');
              return;
            }
            const key = String(req.headers['idempotency-key'] ?? `no-key-${state.requests}`);
            state.hits.set(key, (state.hits.get(key) ?? 0) + 1);
            if (!state.effects.has(key)) state.effects.set(key, Buffer.concat(chunks).toString('utf8'));
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
          };
          if (state.delayMs > 0) setTimeout(answer, state.delayMs);
          else answer();
        });
      });
      s.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(state.port, '127.0.0.1', () => resolve());
      });
      server = s;
      state.port = (s.address() as AddressInfo).port;
      state.url = `http://127.0.0.1:${state.port}`;
      state.up = true;
    },
  };
  await state.start();
  return state;
}

/** Poll until `condition` holds or the deadline passes (no fixed sleeps). */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Effects whose body contains `marker` (one per idempotency key). */
export function effectsContaining(receiver: ChaosReceiver, marker: string): number {
  let n = 0;
  for (const body of receiver.effects.values()) if (body.includes(marker)) n++;
  return n;
}
