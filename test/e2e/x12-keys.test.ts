import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLoom } from '../../src/app/index.js';
import { ContentTypes } from '../../src/kernel/index.js';
import { startTestLoom } from '../support/loom.js';
import { repoRoot } from '../support/corpus.js';
import { eventually, startReceiver, type TestReceiver } from '../support/receiver.js';

let loom: RunningLoom;
let po: TestReceiver;
let other: TestReceiver;

beforeAll(async () => {
  po = await startReceiver();
  other = await startReceiver();
  ({ loom } = await startTestLoom(
    `  - name: edi
    inbound: { kind: http }
    contentType: x12
    ackMode: enhanced
    steps: [{ use: x12-keys }]
    destinations:
      - { name: purchasing, kind: http, url: ${po.url}/po, when: { messageType: ['850'] } }
      - { name: invoices, kind: http, url: ${other.url}/inv, when: { messageType: ['810'] } }
`,
  ));
});

afterAll(async () => {
  await loom?.stop();
  await po?.close();
  await other?.close();
});

describe('x12-keys and X12 routes', () => {
  it('indexes the PO number (BEG03) and routes an 850 by its transaction type (ST01)', async () => {
    const edi = readFileSync(path.join(repoRoot, 'test/fixtures/x12/po-850-accepted.edi'), 'utf8');
    const response = await fetch(`${loom.url}/api/v1/channels/edi/messages`, { method: 'POST', headers: { 'content-type': ContentTypes.x12 }, body: edi });
    expect(response.status).toBe(202);
    const { messageId } = (await response.json()) as { messageId: string };
    await eventually(() => po.effects.size === 1, 15_000, 'the 850 routed to purchasing');
    expect(other.requests).toBe(0);
    const poNumber = /BEG\*\d\d\*[A-Z]{2}\*([^*~]+)/.exec(edi)?.[1] ?? '';
    expect(poNumber).not.toBe('');
    const found = (await (await fetch(`${loom.url}/api/v1/messages?q=${encodeURIComponent(poNumber)}`)).json()) as { items: Array<{ id: string }> };
    expect(found.items.map((m) => m.id)).toContain(messageId);
  });
});
