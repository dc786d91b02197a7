// Shared helpers for the engine e2e tests: temp store, a real HTTP receiver on port 0, polling.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HttpOutbound } from '../../src/connectors/http/index.js';
import { Engine, type ChannelDefinition, type EngineOptions } from '../../src/engine/index.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../src/kernel/index.js';
import { LoomError } from '../../src/kernel/index.js';
import { openSqliteStore } from '../../src/store/index.js';

/** Poll until `check` is truthy or the deadline passes (no fixed sleeps). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-e2e-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startEngine(channels: ChannelDefinition[], options: Partial<EngineOptions> = {}, dataDir = tempDir().dir): Promise<Engine> {
  const store = await openSqliteStore({ dataDir });
  const engine = new Engine({ store, ...options });
  engine.applyChannels(channels);
  await engine.start();
  return engine;
}

/** An idempotent HTTP receiver: counts effects by Idempotency-Key; `mode` down → 503. */
export class Receiver {
  readonly bodies: string[] = [];
  readonly byKey = new Map<string, number>();
  requests = 0;
  mode: 'up' | 'down' | 'reject' = 'up';
  private server: http.Server;
  port = 0;

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests++;
        if (this.mode !== 'up') {
          res.statusCode = this.mode === 'down' ? 503 : 422;
          return res.end('unavailable');
        }
        const key = String(req.headers['idempotency-key']);
        const seen = this.byKey.get(key) ?? 0;
        this.byKey.set(key, seen + 1);
        if (seen === 0) this.bodies.push(Buffer.concat(chunks).toString());
        res.end('ok');
      });
    });
  }

  async listen(port = 0): Promise<this> {
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stop listening: connections are refused until `listen(this.port)` again. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
    this.server = http.createServer(this.server.listeners('request')[0] as http.RequestListener);
  }

  connector(): OutboundConnector {
    return new HttpOutbound({ url: `http://127.0.0.1:${this.port}/in`, method: 'POST', headers: {}, timeoutMs: 2000 });
  }
}

/** An in-memory outbound connector answering from a script (then `delivered`). */
export class ScriptedConnector implements OutboundConnector {
  readonly kind = 'scripted';
  readonly calls: DeliveryRequest[] = [];
  constructor(public script: Array<'retry' | 'failed' | 'delivered'> = [], public fallback: 'retry' | 'failed' | 'delivered' = 'delivered') {}
  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    this.calls.push(request);
    const next = this.script.shift() ?? this.fallback;
    if (next === 'delivered') return { status: 'delivered' };
    return { status: next, error: new LoomError(`test.${next}`, `scripted ${next}`) };
  }
  async close(): Promise<void> {}
  delivered(): string[] {
    return this.calls.map((c) => new TextDecoder().decode(c.payload));
  }
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A minimal HL7 v2 ADT with MSH-10 control id and PID-3 MRN. */
export function adt(controlId: string, mrn = 'MRN1', app = 'EPIC'): Uint8Array {
  return enc(`MSH|^~\\&|${app}|MAIN|LOOM|HOSP|20240101120000||ADT^A01|${controlId}|P|2.5\rPID|1||${mrn}^^^HOSP^MR||DOE^JANE\r`);
}
