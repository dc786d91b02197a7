import net from 'node:net';
import tls from 'node:tls';
import { parseHl7v2, readHl7Header } from '../../codecs/hl7v2/index.js';
import { encodeMllpFrame, MllpDecoder } from '../../codecs/mllp/index.js';
import { LoomError } from '../../kernel/errors.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../kernel/connector.js';
import { excerpt } from '../shared/util.js';

export interface MllpClientOptions {
  host: string;
  port: number;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
  maxFrameBytes: number;
  ackTimeoutMs: number;
  connectTimeoutMs: number;
  onAE: 'retry' | 'dead-letter';
}

interface Pending {
  resolve(frame: Buffer): void;
  reject(error: LoomError): void;
}

/**
 * MLLP sender over one persistent connection, reconnecting on demand. One message is in flight
 * at a time (MLLP pairs ACKs with messages by order). AA/CA → delivered; AR/CR → failed with the
 * reason from MSA-3/ERR; AE/CE → retry or failed per `onAE`; no ACK in time → retry (the
 * connection is dropped, since a late ACK would be paired with the next message).
 *
 * @example
 * const client = new MllpClient({ host: 'lis', port: 2575, maxFrameBytes: 1 << 24, ackTimeoutMs: 30000, connectTimeoutMs: 10000, onAE: 'retry' });
 * await client.deliver(request);
 */
export class MllpClient implements OutboundConnector {
  readonly kind = 'mllp';
  private socket?: net.Socket;
  private pending?: Pending;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: MllpClientOptions) {}

  deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const next = this.chain.then(() => this.deliverOne(request));
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
    this.drop();
  }

  private async deliverOne(request: DeliveryRequest): Promise<DeliveryResult> {
    if (this.closed) return { status: 'retry', error: new LoomError('delivery.closed', 'the MLLP client is closed') };
    let socket: net.Socket;
    try {
      socket = await this.connect();
    } catch (err) {
      return { status: 'retry', error: err instanceof LoomError ? err : new LoomError('delivery.unreachable', String(err)) };
    }
    let ackFrame: Buffer;
    try {
      ackFrame = await new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => reject(new LoomError('delivery.timeout', `no ACK from ${this.target()} within ${this.options.ackTimeoutMs} ms`, { hint: 'the receiver is slow or stuck; Loom retries' })), this.options.ackTimeoutMs);
        this.pending = {
          resolve: (f) => { clearTimeout(timer); resolve(f); },
          reject: (e) => { clearTimeout(timer); reject(e); },
        };
        socket.write(encodeMllpFrame(request.payload));
      });
    } catch (err) {
      this.drop(); // a late ACK must not be paired with the next message
      return { status: 'retry', error: err as LoomError };
    } finally {
      this.pending = undefined;
    }
    return this.judge(ackFrame, request);
  }

  /** Map the ACK's MSA-1 to a delivery result. */
  private judge(frame: Buffer, request: DeliveryRequest): DeliveryResult {
    const response = excerpt(frame.toString('utf8').replace(/\r/g, '\n'), 500);
    let code = '';
    let reason = '';
    try {
      const ack = parseHl7v2(frame);
      code = (ack.get('MSA-1') ?? '').trim().toUpperCase();
      const acked = (ack.get('MSA-2') ?? '').trim();
      const sent = controlIdOf(request.payload);
      if (sent !== undefined && acked !== '' && acked !== sent) {
        this.drop();
        return { status: 'retry', response, error: new LoomError('delivery.mllp.ack-mismatch', `ACK MSA-2 is ${acked} but the message sent was ${sent}`, { location: 'MSA-2', hint: 'the receiver answered out of order; the connection was reset and the message will be resent' }) };
      }
      // MSA-3 (withdrawn in v2.5) or ERR-8 user message / ERR-5 application error code
      reason = ack.get('MSA-3') || ack.get('ERR-8') || ack.get('ERR-5') || ack.get('ERR-1.4.2') || '';
    } catch {
      return { status: 'retry', response, error: new LoomError('delivery.mllp.ack-unreadable', 'the answer is not a readable HL7 ACK', { hint: 'check that the receiver speaks HL7 v2 over MLLP' }) };
    }
    const why = reason ? `: ${reason}` : '';
    if (code === 'AA' || code === 'CA') return { status: 'delivered', response };
    if (code === 'AR' || code === 'CR') {
      return { status: 'failed', response, error: new LoomError('delivery.mllp.rejected', `${this.target()} answered ${code}${why}`, { location: 'MSA-1', hint: 'the receiver rejected the message; fix it and replay from the dead-letter channel' }) };
    }
    if (code === 'AE' || code === 'CE') {
      const error = new LoomError('delivery.mllp.error', `${this.target()} answered ${code}${why}`, { location: 'MSA-1' });
      return this.options.onAE === 'retry' ? { status: 'retry', response, error } : { status: 'failed', response, error };
    }
    return { status: 'retry', response, error: new LoomError('delivery.mllp.ack-unknown', `MSA-1 is "${code}", not an acknowledgment code`, { location: 'MSA-1' }) };
  }

  private target(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  private connect(): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const { host, port } = this.options;
      const socket = this.options.tls
        ? tls.connect({ host, port, ...this.options.tls, servername: net.isIP(host) ? undefined : host })
        : net.connect({ host, port });
      const ready = this.options.tls ? 'secureConnect' : 'connect';
      const timer = setTimeout(() => fail(new LoomError('delivery.unreachable', `cannot connect to ${this.target()} within ${this.options.connectTimeoutMs} ms`)), this.options.connectTimeoutMs);
      const fail = (err: LoomError): void => { clearTimeout(timer); socket.destroy(); reject(err); };
      socket.once('error', (e: NodeJS.ErrnoException) => fail(new LoomError('delivery.unreachable', `cannot connect to ${this.target()}: ${e.code ?? e.message}`, { cause: e, hint: 'check host, port and that the receiver listens; Loom retries' })));
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        this.attach(socket);
        resolve(socket);
      });
    });
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    const decoder = new MllpDecoder({ maxFrameBytes: this.options.maxFrameBytes });
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) this.pending?.resolve(frame);
      } catch (err) {
        this.pending?.reject(err as LoomError);
        socket.destroy();
      }
    });
    const lost = (): void => {
      if (this.socket === socket) this.socket = undefined;
      this.pending?.reject(new LoomError('delivery.connection-lost', `the connection to ${this.target()} closed before the ACK`, { hint: 'Loom reconnects and resends' }));
    };
    socket.on('error', lost);
    socket.on('close', lost);
  }

  private drop(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

function controlIdOf(payload: Uint8Array): string | undefined {
  try {
    return readHl7Header(payload).controlId;
  } catch {
    return undefined;
  }
}
