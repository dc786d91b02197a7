import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An idempotent HTTP receiver on 127.0.0.1:0 for end-to-end tests: it records each body once
 * per Idempotency-Key (the way an ERP with idempotency would) and can be told to fail.
 */
export interface TestReceiver {
  url: string;
  /** Unique effects by idempotency key. */
  effects: Map<string, string>;
  /** Every request, duplicates included. */
  requests: number;
  failWith: number | undefined;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<TestReceiver> {
  const state = { effects: new Map<string, string>(), requests: 0, failWith: undefined as number | undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (state.failWith) {
        res.writeHead(state.failWith).end('failing on purpose');
        return;
      }
      const key = String(req.headers['idempotency-key'] ?? `no-key-${state.requests}`);
      if (!state.effects.has(key)) state.effects.set(key, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** Poll until `condition` holds or the deadline passes (no fixed sleeps). */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
