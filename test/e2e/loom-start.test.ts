import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLoom } from '../../src/app/index.js';
import { startTestLoom, type TestLoom } from '../support/loom.js';
import { eventually, startReceiver, type TestReceiver } from '../support/receiver.js';

let test: TestLoom;
let loom: RunningLoom;
let erp: TestReceiver;

function channels(receiverUrl: string, extraChannel = ''): string {
  return `  - name: consumption
    source: inventory
    inbound: { kind: http }
    contentType: json
    steps: [{ use: json-keys }]
    destinations:
      - name: erp
        kind: http
        url: ${receiverUrl}/postings
        retry: { maxAttempts: 3, backoff: { base: 50ms, max: 200ms } }
${extraChannel}`;
}

async function post(channel: string, body: unknown): Promise<Response> {
  return fetch(`${loom.url}/api/v1/channels/${channel}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  erp = await startReceiver();
  test = await startTestLoom(channels(erp.url));
  loom = test.loom;
});

afterAll(async () => {
  await loom?.stop();
  await erp?.close();
});

describe('loom start: HTTP in → journal → outbox → HTTP out, through the real API', () => {
  it('answers 202 with a message id, delivers once, and finds the message by business key', async () => {
    const response = await post('consumption', { eventId: 'E1', item: { gtin: '00884838094581' }, lot: 'L1', serial: 'S1', quantity: 1 });
    expect(response.status).toBe(202);
    const { messageId } = (await response.json()) as { messageId: string };
    await eventually(() => erp.effects.size === 1, 15_000, 'delivery to the ERP receiver');
    expect(JSON.parse([...erp.effects.values()][0]).serial).toBe('S1');

    const search = (await (await fetch(`${loom.url}/api/v1/messages?q=00884838094581`)).json()) as { items: Array<{ id: string }> };
    expect(search.items.map((m) => m.id)).toContain(messageId);
    const detail = (await (await fetch(`${loom.url}/api/v1/messages/${messageId}`)).json()) as {
      message: { keys: Record<string, string> };
      deliveries: Array<{ destination: string; status: string }>;
    };
    expect(detail.message.keys.lot).toBe('L1');
    await eventually(async () => {
      const d = (await (await fetch(`${loom.url}/api/v1/messages/${messageId}`)).json()) as typeof detail;
      return d.deliveries.some((x) => x.destination === 'erp' && x.status === 'delivered');
    });
  });

  it('answers a duplicate as a duplicate and does not deliver it again', async () => {
    const body = { eventId: 'E2', item: { gtin: '00884838094581' }, lot: 'L2', serial: 'S2', quantity: 1 };
    expect((await post('consumption', body)).status).toBe(202);
    const second = await post('consumption', body);
    expect(second.status).toBe(200);
    expect(((await second.json()) as { duplicate?: boolean }).duplicate).toBe(true);
    await eventually(() => erp.effects.size === 2);
    expect(erp.requests).toBe(2);
  });

  it('dead-letters after the retries when the ERP fails, and a replay delivers once it is back', async () => {
    erp.failWith = 500;
    const response = await post('consumption', { eventId: 'E3', item: { gtin: '00884838094581' }, lot: 'L3', serial: 'S3', quantity: 2 });
    const { messageId } = (await response.json()) as { messageId: string };
    let deadLetterId = '';
    await eventually(async () => {
      const page = (await (await fetch(`${loom.url}/api/v1/dead-letters`)).json()) as { items: Array<{ id: string; messageId: string }> };
      deadLetterId = page.items.find((d) => d.messageId === messageId)?.id ?? '';
      return deadLetterId !== '';
    }, 20_000, 'the dead letter');
    erp.failWith = undefined;
    const replay = await fetch(`${loom.url}/api/v1/dead-letters/${deadLetterId}/replay`, { method: 'POST' });
    expect(replay.status).toBe(200);
    await eventually(() => [...erp.effects.values()].some((b) => b.includes('"S3"')), 15_000, 'the replayed delivery');
  });

  it('pauses and resumes a channel, refusing intake while paused', async () => {
    const paused = await fetch(`${loom.url}/api/v1/channels/consumption/pause`, { method: 'POST' });
    expect(((await paused.json()) as { status: string }).status).toBe('paused');
    const refused = await post('consumption', { eventId: 'E4' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    await fetch(`${loom.url}/api/v1/channels/consumption/resume`, { method: 'POST' });
    expect((await post('consumption', { eventId: 'E4' })).status).toBe(202);
  });

  it('serves problem+json for unknown things, OpenAPI, metrics and health', async () => {
    const missing = await fetch(`${loom.url}/api/v1/messages/NOPE`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(((await missing.json()) as { code: string }).code).toBe('api.not-found');
    const unknownChannel = await post('nope', {});
    expect(unknownChannel.status).toBe(404);
    const openapi = (await (await fetch(`${loom.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/messages', '/messages/{id}', '/dead-letters', '/channels']));
    const metrics = await (await fetch(`${loom.url}/metrics`)).text();
    expect(metrics).toMatch(/loom_channel_messages_total\{[^}]*channel="consumption"[^}]*\} [1-9]/);
    expect((await fetch(`${loom.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${loom.url}/readyz`)).status).toBe(200);
  });

  it('reloads the config: a new channel starts taking messages without a restart', async () => {
    const second = `  - name: second
    inbound: { kind: http }
    contentType: text
    destinations:
      - { name: erp2, kind: http, url: ${erp.url}/second }
`;
    test.writeConfig(channels(erp.url, second));
    const diff = await loom.reload();
    expect(diff.added).toEqual(['second']);
    const response = await fetch(`${loom.url}/api/v1/channels/second/messages`, { method: 'POST', body: 'hello' });
    expect(response.status).toBe(202);
    await eventually(() => [...erp.effects.values()].includes('hello'));
  });
});
