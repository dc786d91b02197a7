import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { encodeMllpFrame, MllpDecoder } from '../../codecs/mllp/index.js';
import { LoomError, toLoomError } from '../../kernel/errors.js';
import type { Intake, InboundConnector } from '../../kernel/connector.js';
import { silentLogger, type Logger } from '../../kernel/ports.js';
import { ackForReceipt, ackForRefusal, messageForAck } from './ack.js';
import { buildAck } from '../../codecs/hl7v2/index.js';

export interface MllpServerOptions {
  channel: string;
  host: string;
  port: number;
  /** Already-loaded PEM material; a TLS server when cert and key are given. */
  tls?: { cert: Buffer; key: Buffer; ca?: Buffer };
  maxFrameBytes: number;
  idleTimeoutMs: number;
  frameTimeoutMs: number;
  maxConnections: number;
  logger?: Logger;
}

/** Frames in intake on one connection (ACK not yet written) before we stop reading from it (backpressure). */
const MAX_QUEUED_FRAMES = 64;

/**
 * MLLP listener. Frames on one connection enter intake in arrival order, and their ACKs go back in
 * that order (a sender expects ACKs in order); a pipelining sender's frames are received
 * concurrently so they share group commits. Connections run in parallel. Every ACK is written only
 * after its own `intake.receive` resolved, i.e. after the durable commit; when it throws, the
 * sender gets AR "not stored", never AA.
 *
 * @example
 * const server = new MllpServer({ channel: 'adt', host: '127.0.0.1', port: 2575, maxFrameBytes: 1 << 24, idleTimeoutMs: 120000, frameTimeoutMs: 30000, maxConnections: 1000 });
 * await server.start(engine.intake);
 */
export class MllpServer implements InboundConnector {
  readonly kind = 'mllp';
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly inflight = new Set<Promise<void>>();
  /** Per-connection ACK flushes scheduled for the next tick (stop runs them before closing). */
  private readonly flushes = new Set<() => void>();
  private readonly logger: Logger;
  private closing = false;

  constructor(private readonly options: MllpServerOptions) {
    this.logger = (options.logger ?? silentLogger).child({ channel: options.channel, connector: 'mllp' });
  }

  async start(intake: Intake): Promise<void> {
    this.closing = false;
    const onConnection = (socket: net.Socket): void => this.serve(socket, intake);
    const server = this.options.tls
      ? tls.createServer({ ...this.options.tls, requestCert: this.options.tls.ca !== undefined }, onConnection)
      : net.createServer(onConnection);
    server.maxConnections = this.options.maxConnections;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.options.host, port: this.options.port, backlog: 1024 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stop accepting, answer what is in flight, then close every connection. */
  async stop(): Promise<void> {
    this.closing = true;
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
    // write the ACKs of the last receipts before closing: their flush may still wait for its tick
    for (const flush of [...this.flushes]) flush();
    for (const socket of this.sockets) socket.end();
    const deadline = setTimeout(() => { for (const s of this.sockets) s.destroy(); }, 2000);
    await closed;
    clearTimeout(deadline);
    this.server = undefined;
  }

  address(): string {
    const a = this.server?.address();
    const port = a && typeof a === 'object' ? a.port : this.options.port;
    return `${this.options.tls ? 'mllps' : 'mllp'}://${this.options.host}:${port}`;
  }

  /** The bound port (for port 0). */
  port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : this.options.port;
  }

  /** Connections currently open. */
  connections(): number {
    return this.sockets.size;
  }

  private serve(socket: net.Socket, intake: Intake): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs);
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const decoder = new MllpDecoder({ maxFrameBytes: this.options.maxFrameBytes });
    // Frames whose ACK is not written yet, in arrival order. Each frame's receive starts as soon as
    // the frame is complete, so a pipelining sender's frames share group commits (one fsync for
    // many) instead of one commit per frame; the engine journals them in call order. ACKs still go
    // out strictly in frame order, each only after its own receive resolved (its durable commit).
    const pending: Array<{ ack: Buffer | null | undefined }> = [];
    let flushQueued = false;
    let frameTimer: NodeJS.Timeout | undefined;

    /** Write every ACK ready at the head of the line in ONE socket write (one syscall, not one per ACK). */
    const flush = (): void => {
      if (!flushQueued) return;
      flushQueued = false;
      this.flushes.delete(flush);
      const ready: Buffer[] = [];
      while (pending.length > 0 && pending[0]!.ack !== undefined) {
        const ack = pending.shift()!.ack;
        if (ack) ready.push(ack); // null: the sender asked for no ACK
      }
      if (ready.length > 0 && !socket.destroyed && !socket.writableEnded) socket.write(ready.length === 1 ? ready[0]! : Buffer.concat(ready));
      if (pending.length < MAX_QUEUED_FRAMES / 2 && socket.isPaused()) socket.resume();
      if (pending.length === 0 && this.closing && !socket.writableEnded) socket.end();
    };
    const accept = (frame: Buffer): void => {
      const slot: { ack: Buffer | null | undefined } = { ack: undefined };
      pending.push(slot);
      const p = this.handle(frame, intake, peer).then(
        (ack) => { slot.ack = ack === undefined ? null : encodeMllpFrame(ack); },
        (err: unknown) => {
          this.logger.error({ peer, err: String(err) }, 'mllp connection handler failed');
          slot.ack = null;
          socket.destroy();
        },
      ).finally(() => {
        this.inflight.delete(p);
        // receipts of one group commit settle in the same turn: gather their ACKs into one write
        if (!flushQueued) {
          flushQueued = true;
          this.flushes.add(flush);
          process.nextTick(flush);
        }
      });
      this.inflight.add(p);
    };

    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        // Oversize or garbage: answer AR (nothing was stored) and drop the connection, since the
        // stream position is lost.
        const error = toLoomError(err, 'mllp.frame.invalid');
        this.logger.warn({ peer, code: error.code }, 'bad MLLP frame; connection closed');
        socket.removeAllListeners('data');
        socket.end(encodeMllpFrame(buildAck(messageForAck(chunk), 'AR', [error.toJSON()])));
        setTimeout(() => socket.destroy(), 1000).unref();
        return;
      }
      // slowloris guard: a frame that started must finish within frameTimeoutMs
      if (decoder.pending() > 0 && frameTimer === undefined) {
        frameTimer = setTimeout(() => {
          this.logger.warn({ peer }, 'MLLP frame not completed in time; connection closed');
          socket.destroy();
        }, this.options.frameTimeoutMs);
      } else if (decoder.pending() === 0 && frameTimer !== undefined) {
        clearTimeout(frameTimer);
        frameTimer = undefined;
      }
      for (const frame of frames) accept(frame);
      if (pending.length >= MAX_QUEUED_FRAMES) socket.pause();
    });
    socket.on('timeout', () => {
      this.logger.info({ peer }, 'idle MLLP connection closed');
      socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (frameTimer) clearTimeout(frameTimer);
      this.sockets.delete(socket);
    });
  }

  /** One frame → receipt → ACK text (undefined when the sender asked for no ACK). */
  private async handle(frame: Buffer, intake: Intake, peer: string): Promise<string | undefined> {
    try {
      const receipt = await intake.receive({
        channel: this.options.channel,
        payload: frame,
        contentType: 'x-application/hl7-v2+er7',
        sourceSystem: peer,
      });
      return ackForReceipt(frame, receipt);
    } catch (err) {
      const error = toLoomError(err, 'store.unavailable');
      this.logger.warn({ peer, code: error.code }, 'intake refused the message; answered AR');
      return ackForRefusal(frame, error.toJSON());
    }
  }
}

/** Read TLS PEM files once at construction; a missing file is a config error naming the path. */
export function loadTlsFiles(paths: { cert?: string; key?: string; ca?: string }): { cert: Buffer; key: Buffer; ca?: Buffer } {
  const read = (p: string, field: string): Buffer => {
    try {
      return readFileSync(p);
    } catch (cause) {
      throw new LoomError('config.file.unreadable', `cannot read TLS ${field} file ${p}`, { location: `mllp.tls.${field}`, cause, hint: 'check the path (relative to the config file) and permissions' });
    }
  };
  if (!paths.cert || !paths.key) throw new LoomError('config.field.invalid', 'an MLLP TLS server needs both tls.cert and tls.key', { location: 'mllp.tls' });
  return { cert: read(paths.cert, 'cert'), key: read(paths.key, 'key'), ...(paths.ca ? { ca: read(paths.ca, 'ca') } : {}) };
}
