import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildAck, parseHl7v2 } from '../../codecs/hl7v2/index.js';
import { encodeMllpFrame, MllpDecoder } from '../../codecs/mllp/index.js';

/**
 * A minimal MLLP receiver that ACKs everything it can read (AA) and rejects what it cannot (AR),
 * for running the EHR simulator without an engine (demos, `runScenarioDay` without an MLLP target).
 *
 * @example
 * const sink = await startMllpSink(); // sink.url = 'mllp://127.0.0.1:PORT'
 */
export async function startMllpSink(port = 0): Promise<{ url: string; port: number; received: string[]; stop(): Promise<void> }> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const dec = new MllpDecoder();
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try { frames = dec.push(chunk); } catch { socket.destroy(); return; }
      for (const f of frames) {
        const text = f.toString('utf8');
        received.push(text);
        try {
          socket.write(encodeMllpFrame(buildAck(parseHl7v2(text), 'AA')));
        } catch {
          try { socket.write(encodeMllpFrame(buildAck(parseHl7v2(text.split('\r')[0]), 'AR'))); } catch { /* no readable header: nothing to answer */ }
        }
      }
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const p = (server.address() as AddressInfo).port;
  return {
    url: `mllp://127.0.0.1:${p}`, port: p, received,
    stop: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
