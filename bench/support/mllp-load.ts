// MLLP load for benchmarks: pipelined connections (send without waiting; ACKs come back in order
// per connection), an idempotent timing receiver, and percentile helpers.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { encodeMllpFrame, MllpDecoder } from '../../src/codecs/mllp/index.js';

export const adtMessage = (controlId: string): string =>
  `MSH|^~\\&|EHR|MAIN|LOOM|HOSP|20240101120000||ADT^A01|${controlId}|P|2.5\rEVN|A01|20240101120000\rPID|1||MRN${controlId}^^^HOSP^MR||DOE^JANE||19800101|F\rPV1|1|I|4W^401^1\r`;

/** One MLLP connection that pipelines frames and resolves each ACK in order. */
export class PipelinedMllp {
  private socket!: net.Socket;
  private readonly decoder = new MllpDecoder({ maxFrameBytes: 1 << 20 });
  private readonly waiting: Array<(ack: string) => void> = [];

  static async open(host: string, port: number): Promise<PipelinedMllp> {
    const c = new PipelinedMllp();
    await new Promise<void>((resolve, reject) => {
      c.socket = net.connect({ host, port }, resolve);
      c.socket.once('error', reject);
      c.socket.setNoDelay(true);
      c.socket.on('data', (chunk: Buffer) => {
        for (const f of c.decoder.push(chunk)) c.waiting.shift()?.(f.toString('utf8'));
      });
    });
    return c;
  }

  send(message: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.socket.write(encodeMllpFrame(message));
    });
  }

  get pending(): number {
    return this.waiting.length;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** HTTP receiver recording the arrival time of each control id (first arrival only). */
export async function timingReceiver(): Promise<{ url: string; arrivals: Map<string, number>; close(): Promise<void> }> {
  const arrivals = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = /^MSH(?:\|[^|\r]*){8}\|([^|\r]*)/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
      if (id && !arrivals.has(id)) arrivals.set(id, performance.now());
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** The q-quantile (0..1) of an unsorted list. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (Linux). */
export function processCpuSeconds(pid: number): number {
  const stat = readStat(pid).split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(stat[11] ?? 0) + Number(stat[12] ?? 0); // fields 14 utime, 15 stime
  return ticks / 100; // USER_HZ is 100 on Linux
}

function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * `loom start` config of the MLLP-in → HTTP-out benches (e2e-latency, profile/loom-start): channel
 * `adt-in` on an ephemeral MLLP port, delivering to `receiverUrl`/adt with quick retries.
 */
export function mllpToHttpConfig(receiverUrl: string): string {
  return `version: 1
server: { port: 0 }
store: { dataDir: ./data }
logging: { level: error }
channels:
  - name: adt-in
    source: ehr
    inbound: { kind: mllp, port: 0, maxConnections: 5000 }
    contentType: hl7v2
    destinations:
      - { name: erp, kind: http, url: ${receiverUrl}/adt, retry: { maxAttempts: 100, backoff: { base: 10ms, max: 100ms } } }
`;
}
