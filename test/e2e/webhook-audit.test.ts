import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/connectors/shared/hmac.js';
import type { AuditRecord } from '../../src/governance/audit/index.js';
import { authHeaders } from '../support/auth.js';
import { startTestLoom, type TestLoom } from '../support/loom.js';

const SECRET = 'procurement-webhook-secret';
// One signed webhook mounted on the API, one on its own port: both must audit what they refuse.
const CHANNELS = `  - name: procurement-hook
    inbound: { kind: http, signature: { secret: "\${env:HOOK_SECRET}" } }
    contentType: json
  - name: vendor-hook
    inbound: { kind: http, port: 0, path: /hook, signature: { secret: "\${env:HOOK_SECRET}" } }
    contentType: json
`;

let t: TestLoom;
const body = JSON.stringify({ event: 'requisition.approved', id: 'REQ-1' });
const now = () => Math.floor(Date.now() / 1000);

function post(url: string, signature?: string): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(signature ? { 'x-loom-signature': signature } : {}) } });
}

async function refusals(): Promise<AuditRecord[]> {
  const page = (await (await fetch(`${t.loom.url}/api/v1/audit?action=inbound.refused`, { headers: authHeaders() })).json()) as { items: AuditRecord[] };
  return page.items.reverse();
}

async function waitForRefusals(count: number): Promise<AuditRecord[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const rows = await refusals();
    if (rows.length >= count || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  t = await startTestLoom(CHANNELS, { env: { HOOK_SECRET: SECRET } });
});
afterAll(async () => {
  await t.loom.stop();
  rmSync(t.dir, { recursive: true, force: true });
});

describe('refused webhook signatures', () => {
  it('answer 401 and are appended to the audit log with the channel and the reason; a good signature is taken and not audited', async () => {
    const apiHook = `${t.loom.url}/api/v1/channels/procurement-hook/messages`;
    const ownPort = t.loom.inbound().find((i) => i.channel === 'vendor-hook')!.address;
    const good = signWebhook(new TextEncoder().encode(body), SECRET, now());

    expect((await post(apiHook, good)).status).toBe(202);
    expect((await post(apiHook, good)).status).toBe(401); // the same signed request again: a replay
    expect((await post(apiHook)).status).toBe(401);
    expect((await post(ownPort, signWebhook(new TextEncoder().encode(body), 'not-the-secret', now()))).status).toBe(401);
    expect((await post(ownPort, signWebhook(new TextEncoder().encode(body), SECRET, now() - 3_600))).status).toBe(401);

    const rows = await waitForRefusals(4);
    expect(rows.map((r) => [r.target, (r.detail as { code: string }).code])).toEqual([
      ['procurement-hook', 'webhook.signature.replayed'],
      ['procurement-hook', 'webhook.signature.missing'],
      ['vendor-hook', 'webhook.signature.invalid'],
      ['vendor-hook', 'webhook.signature.stale'],
    ]);
    expect(rows.every((r) => r.actor === 'anonymous')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });
});
