import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { codecBindings } from '../../src/app/codec-bindings.js';
import { encodeMllpFrame, MllpDecoder } from '../../src/codecs/mllp/index.js';
import { MllpServer } from '../../src/connectors/mllp/index.js';
import { Engine } from '../../src/engine/index.js';
import { openSqliteStore } from '../../src/store/index.js';

const adt = (id: string): string => [`MSH|^~\\&|EPIC|NW|LOOM|NW|20240301123000||ADT^A08^ADT_A01|${id}|P|2.5.1`, 'EVN|A08|20240301122955', `PID|1||MRN${id}^^^NW^MR||DOE^JANE||19580412|F`, 'PV1|1|I|4W^412^B'].join('\r') + '\r';

/** Resolve when `done()` holds, polling on setImmediate (timers are frozen), failing after `ms` of real time. */
async function until(done: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`no ${what} within ${ms} ms with timers frozen: the ACK path waits on a timer`);
    await new Promise((r) => setImmediate(r));
  }
}

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the ACK path of a synchronous MLLP sender', () => {
  it('waits on its own commit and fsync only: with setTimeout and setInterval frozen, every ACK still arrives', async () => {
    // A batch window on a timer (setTimeout before the commit, or an interval flushing the queue)
    // would hold every ACK here forever; only I/O callbacks and setImmediate may be on the path.
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'loom-ack-path-'));
    dirs.push(dataDir);
    const store = await openSqliteStore({ dataDir });
    const engine = new Engine({ store, ...codecBindings });
    engine.applyChannels([{ name: 'adt', sourceSystem: 'ehr', contentType: 'x-application/hl7-v2+er7', ackMode: 'original', validateBeforeAck: true, destinations: [] }]);
    await engine.start();
    const server = new MllpServer({ channel: 'adt', host: '127.0.0.1', port: 0, maxFrameBytes: 1 << 20, idleTimeoutMs: 60_000, frameTimeoutMs: 30_000, maxConnections: 10 });
    await server.start(engine);
    const socket = net.connect({ host: '127.0.0.1', port: server.port() });
    await new Promise((r) => socket.once('connect', r));
    const decoder = new MllpDecoder();
    const acks: string[] = [];
    socket.on('data', (chunk: Buffer) => { for (const frame of decoder.push(chunk)) acks.push(frame.toString('latin1')); });
    try {
      for (let i = 0; i < 20; i++) {
        socket.write(encodeMllpFrame(adt(`SYNC${i}`)));
        await until(() => acks.length === i + 1, `ACK for message ${i + 1}`);
        expect(acks[i]).toContain(`MSA|AA|SYNC${i}`);
      }
      expect((await store.stats()).writes).toBeGreaterThanOrEqual(20);
    } finally {
      socket.destroy();
      vi.useRealTimers();
      await server.stop();
      await engine.stop();
      await store.close();
    }
  });
});
