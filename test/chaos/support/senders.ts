// Load generators for chaos tests: an MLLP sender that waits for each ACK, and an HTTP poster.
import net from 'node:net';
import { encodeMllpFrame, MllpDecoder } from '../../../src/codecs/mllp/index.js';

/** An ADT^A01 whose MSH-10 control id is `controlId` (and the same text in PID-3 for tracing). */
export function adt(controlId: string, mrn = `MRN-${controlId}`, event = 'A01'): string {
  return `MSH|^~\\&|EHR|MAIN|LOOM|HOSP|20240101120000||ADT^${event}|${controlId}|P|2.5\rEVN|${event}|20240101120000\rPID|1||${mrn}^^^HOSP^MR||DOE^JANE||19800101|F\rPV1|1|I|4W^401^1||||||||||||||||V-${controlId}\r`;
}

/** MSA-1 of an ACK text (AA, AE, AR, CA...), or undefined if there is no MSA. */
export function ackCode(ack: string): string | undefined {
  const msa = ack.split(/\r|\n/).find((s) => s.startsWith('MSA'));
  return msa?.split('|')[1];
}

/** One MLLP connection sending a frame at a time and reading its ACK. */
export class MllpSender {
  private socket: net.Socket | undefined;
  private readonly decoder = new MllpDecoder({ maxFrameBytes: 1 << 20 });
  private waiting: { resolve: (ack: string) => void; reject: (e: Error) => void } | undefined;

  constructor(private readonly host: string, private readonly port: number) {}

  async connect(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port }, () => resolve());
      socket.once('error', reject);
      socket.on('data', (chunk: Buffer) => {
        for (const frame of this.decoder.push(chunk)) {
          const w = this.waiting;
          this.waiting = undefined;
          w?.resolve(frame.toString('utf8'));
        }
      });
      socket.on('close', () => {
        const w = this.waiting;
        this.waiting = undefined;
        w?.reject(new Error('connection closed before the ACK'));
      });
      socket.on('error', () => undefined);
      this.socket = socket;
    });
  }

  /** Send one message; resolves with the ACK text, rejects if the connection drops or times out. */
  send(message: string | Buffer, timeoutMs = 10_000): Promise<string> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new Error('not connected'));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error('ACK timeout'));
      }, timeoutMs);
      this.waiting = {
        resolve: (a) => (clearTimeout(timer), resolve(a)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      socket.write(encodeMllpFrame(message));
    });
  }

  close(): void {
    this.socket?.destroy();
  }
}

/** `mllp://host:port` → {host, port}. */
export function parseAddress(address: string): { host: string; port: number } {
  const u = new URL(address.replace(/^mllps?:/, 'http:'));
  return { host: u.hostname, port: Number(u.port) };
}
