import { connect, type Socket } from 'node:net';
import { encodeMllpFrame, MllpDecoder } from '../../codecs/mllp/index.js';
import { parseHl7v2 } from '../../codecs/hl7v2/index.js';
import { LoomError } from '../../kernel/errors.js';

export interface MllpTarget { host: string; port: number }

/** Parse `mllp://host:port` (or `host:port`). */
export function parseMllpUrl(url: string): MllpTarget {
  const m = /^(?:mllp:\/\/)?([^:/]+):(\d+)\/?$/.exec(url);
  if (!m) throw new LoomError('simulator.target.invalid', `"${url}" is not an MLLP address`, { hint: 'write mllp://127.0.0.1:2575' });
  return { host: m[1], port: Number(m[2]) };
}

export interface SendResult {
  controlId: string;
  /** MSA-1 of the acknowledgement, or `timeout` when no ACK came after all attempts. */
  ackCode: string;
  attempts: number;
}

export interface MllpSenderOptions {
  /** How long to wait for the ACK before resending (default 3000 ms). */
  ackTimeoutMs?: number;
  /** Attempts per message including the first (default 5). */
  maxAttempts?: number;
  onEvent?: (event: string, fields: Record<string, unknown>) => void;
}

/**
 * MLLP client that sends one message at a time, waits for the ACK whose MSA-2 names the message's
 * control id, and resends (same bytes, same MSH-10) when the ACK does not come in time; reconnects
 * when the connection drops.
 *
 * @example
 * const s = new MllpSender(parseMllpUrl('mllp://127.0.0.1:2575')); await s.send(text); s.close();
 */
export class MllpSender {
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private waiter: { controlId: string; socket: Socket; resolve: (code: string) => void } | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly target: MllpTarget, private readonly options: MllpSenderOptions = {}) {}

  /** Send and wait for the ACK; calls are queued so messages keep their order. */
  send(message: string, controlId?: string): Promise<SendResult> {
    const id = controlId ?? parseHl7v2(message).controlId;
    const run = this.chain.then(() => this.sendNow(message, id));
    this.chain = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
    this.socket = undefined;
    this.waiter?.resolve('closed');
  }

  private async sendNow(message: string, controlId: string): Promise<SendResult> {
    const max = this.options.maxAttempts ?? 5;
    const timeoutMs = this.options.ackTimeoutMs ?? 3000;
    for (let attempt = 1; attempt <= max; attempt++) {
      if (this.closed) return { controlId, ackCode: 'closed', attempts: attempt - 1 };
      let socket: Socket;
      try {
        socket = await this.connection();
      } catch (err) {
        this.options.onEvent?.('connect.failed', { controlId, attempt, error: err instanceof Error ? err.message : String(err) });
        await new Promise((r) => setTimeout(r, Math.min(timeoutMs, 200 * attempt)));
        continue;
      }
      const ack = new Promise<string>((resolve) => {
        const timer = setTimeout(() => { this.waiter = undefined; resolve('timeout'); }, timeoutMs);
        this.waiter = { controlId, socket, resolve: (code) => { clearTimeout(timer); this.waiter = undefined; resolve(code); } };
      });
      socket.write(encodeMllpFrame(message));
      const code = await ack;
      if (code !== 'timeout' && code !== 'dropped') return { controlId, ackCode: code, attempts: attempt };
      this.options.onEvent?.(code === 'timeout' ? 'ack.timeout' : 'connection.dropped', { controlId, attempt });
    }
    return { controlId, ackCode: 'timeout', attempts: max };
  }

  private connection(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    if (this.connecting) return this.connecting;
    this.connecting = new Promise<Socket>((resolve, reject) => {
      const s = connect(this.target.port, this.target.host);
      const decoder = new MllpDecoder();
      s.once('connect', () => { this.socket = s; this.connecting = undefined; resolve(s); });
      s.once('error', (err) => { this.connecting = undefined; reject(err); });
      s.on('data', (chunk: Buffer) => {
        let frames: Buffer[];
        try { frames = decoder.push(chunk); } catch { s.destroy(); return; }
        for (const f of frames) this.onAck(f.toString('utf8'));
      });
      s.on('close', () => {
        if (this.socket === s) this.socket = undefined;
        if (this.waiter?.socket === s) this.waiter.resolve('dropped');
      });
    });
    return this.connecting;
  }

  private onAck(text: string): void {
    let code: string | undefined;
    let ref: string | undefined;
    try {
      const ack = parseHl7v2(text);
      code = ack.get('MSA-1');
      ref = ack.get('MSA-2');
    } catch {
      return; // not an ACK we can read: keep waiting, the timeout resends
    }
    // an ACK for an earlier attempt's twin (same control id) also counts; others are stale
    if (this.waiter && code && (ref === this.waiter.controlId || ref === undefined || ref === '')) this.waiter.resolve(code);
  }
}
