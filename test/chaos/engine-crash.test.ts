// Central durability claim: every acknowledged message is delivered, and effects happen once,
// even when the engine is SIGKILLed at random moments under load.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Receiver, tempDir, waitFor } from '../e2e/engine-harness.js';

const root = path.resolve(import.meta.dirname, '../..');

async function startChild(dataDir: string, url: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/chaos/engine-crash-child.ts'), dataDir, url], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  return { child, port };
}

/** Send messages with 16 in flight until stopped; record those answered 202. */
async function load(port: number, round: number, acked: Set<string>, stop: { now: boolean }): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (!stop.now) {
      const body = `r${round}-m${next++}`;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body });
        if (res.status === 202) acked.add(body);
      } catch {
        return; // killed mid-request: not acknowledged, so not owed
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('engine crash recovery', () => {
  it('delivers every acknowledged message exactly once across random SIGKILLs', async () => {
    const receiver = await new Receiver().listen();
    const url = `http://127.0.0.1:${receiver.port}/in`;
    const acked = new Set<string>();
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      const { child, port } = await startChild(tmp.dir, url);
      const stop = { now: false };
      const running = load(port, round, acked, stop);
      const before = acked.size;
      await waitFor(() => acked.size >= before + 50, `round ${round} load`, 20_000);
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400))); // random kill moment
      child.kill('SIGKILL');
      await once(child, 'exit');
      stop.now = true;
      await running;
    }
    // final run: recover and drain
    const { child } = await startChild(tmp.dir, url);
    const delivered = new Set(receiver.bodies);
    await waitFor(() => {
      for (const b of receiver.bodies) delivered.add(b);
      return [...acked].every((b) => delivered.has(b));
    }, 'all acknowledged delivered', 60_000);
    child.kill('SIGTERM');
    await once(child, 'exit');
    await receiver.close();

    expect(acked.size).toBeGreaterThan(rounds * 50);
    const missing = [...acked].filter((b) => !delivered.has(b));
    expect(missing).toEqual([]);
    // one effect per message: no body ever arrived under two different idempotency keys
    expect(receiver.bodies.length).toBe(new Set(receiver.bodies).size);
    const redelivered = [...receiver.byKey.values()].filter((n) => n > 1).length;
    console.log(`crash test: ${acked.size} acknowledged, ${receiver.byKey.size} effects, ${redelivered} redelivered after a kill (deduped by key)`);
  }, 180_000);
});
