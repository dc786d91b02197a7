import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, type ChannelDefinition } from '../../engine/index.js';
import type { DeliveryRequest, DeliveryResult, OutboundConnector } from '../../kernel/index.js';
import { systemClock } from '../../kernel/index.js';
import { openSqliteStore } from '../../store/index.js';
import { waitFor } from '../shared/index.js';
import { channelConnector, ChannelOutbound } from './index.js';

class Capture implements OutboundConnector {
  readonly kind = 'capture';
  readonly bodies: string[] = [];
  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    this.bodies.push(new TextDecoder().decode(request.payload));
    return { status: 'delivered' };
  }
  async close(): Promise<void> {}
}

const dirs: string[] = [];
const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop({ closeStore: true });
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function twoChannels(): Promise<{ engine: Engine; capture: Capture }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loom-channel-'));
  dirs.push(dir);
  const engine = new Engine({ store: await openSqliteStore({ dataDir: dir }) });
  engines.push(engine);
  const capture = new Capture();
  const hop = channelConnector.outbound?.(channelConnector.schema.parse({ target: 'events' }), { logger: console as never, clock: systemClock, resolvePath: (p) => p, intake: engine });
  if (!hop) throw new Error('no outbound');
  const channels: ChannelDefinition[] = [
    { name: 'source', sourceSystem: 'test', contentType: 'application/json', destinations: [{ name: 'to-events', connector: hop }] },
    { name: 'events', sourceSystem: 'loom', contentType: 'application/json', destinations: [{ name: 'sink', connector: capture }] },
  ];
  engine.applyChannels(channels);
  await engine.start();
  return { engine, capture };
}

describe('channel loopback connector', () => {
  it('hands a message to another channel of the same engine, which delivers it', async () => {
    const { engine, capture } = await twoChannels();
    await engine.receive({ channel: 'source', payload: new TextEncoder().encode('{"id":1}') });
    await waitFor(() => capture.bodies.length === 1, 5000);
    expect(capture.bodies).toEqual(['{"id":1}']);
    const page = await engine.store.search({ channel: 'events', limit: 10 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0].envelope.headers['x-loom-idempotency-key']).toMatch(/to-events/);
    expect(page.items[0].envelope.headers['x-loom-from-message']).toMatch(/\w+/);
    expect(page.items[0].envelope.sourceSystem).toBe('loom:to-events');
  });

  it('a redelivery of the same payload is a duplicate on the target, still counted as delivered', async () => {
    const { engine, capture } = await twoChannels();
    const out = new ChannelOutbound(engine, { target: 'events' });
    const request: DeliveryRequest = { messageId: 'm1', destination: 'to-events', idempotencyKey: 'to-events:m1', payload: new TextEncoder().encode('{"id":2}'), contentType: 'application/json', headers: {}, attempt: 1 };
    const first = await out.deliver(request);
    const second = await out.deliver({ ...request, attempt: 2 });
    expect(first.status).toBe('delivered');
    expect(second).toMatchObject({ status: 'delivered', response: expect.stringMatching(/^duplicate /) });
    await waitFor(() => capture.bodies.length >= 1, 5000);
    expect(capture.bodies).toEqual(['{"id":2}']);
  });

  it('an unknown target channel is retried, not lost', async () => {
    const { engine } = await twoChannels();
    const out = new ChannelOutbound(engine, { target: 'nope' });
    const result = await out.deliver({ messageId: 'm', destination: 'd', idempotencyKey: 'k', payload: new Uint8Array([123, 125]), contentType: 'application/json', headers: {}, attempt: 1 });
    expect(result.status).toBe('retry');
  });
});
