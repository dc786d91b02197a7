// Poison messages: malformed HL7, oversize frames, wrong encodings and mapping failures are
// answered with a NAK or stored as rejected/failed with a reason; good messages keep flowing.
// Runbook exercised: docs/runbooks/dead-letters-growing.md
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLoom, type RunningLoom } from '../../src/app/index.js';
import { createLogger } from '../../src/observability/index.js';
import { chaosDir } from './support/loom-process.js';
import { report } from './support/mode.js';
import { startChaosReceiver, until } from './support/receiver.js';
import { MllpSender, ackCode, adt, parseAddress } from './support/senders.js';

function config(receiverUrl: string): string {
  return `version: 1
server: { port: 0 }
store: { dataDir: ./data }
logging: { level: silent }
steps: { dir: ./steps }
channels:
  - name: adt-in
    source: ehr
    inbound: { kind: mllp, port: 0, maxFrameBytes: 65536 }
    contentType: hl7v2
    maxPayloadBytes: 32kb
    steps: [{ use: hl7-keys }]
    destinations:
      - { name: erp, kind: http, url: ${receiverUrl}/adt, retry: { maxAttempts: 3, backoff: { base: 20ms, max: 50ms } } }
  - name: consumption
    source: inventory
    inbound: { kind: http }
    contentType: json
    steps: [{ use: require-gtin }]
    destinations:
      - { name: erp, kind: http, url: ${receiverUrl}/postings, retry: { maxAttempts: 3, backoff: { base: 20ms, max: 50ms } } }
`;
}

// A mapping that fails on a business rule: a consumption event without item.gtin cannot be costed.
const requireGtin = `export default (ctx: { parsed(): unknown }) => {
  const e = ctx.parsed() as { item?: { gtin?: string } };
  if (!e.item?.gtin) throw new Error('consumption event has no item.gtin: cannot map to a cost posting');
};
`;

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Listed { items: Array<{ id: string; status: string; error?: string; controlId?: string }> }

describe('chaos: poison messages', () => {
  it('NAKs or stores each poison message with a reason while good messages keep flowing', async () => {
    const receiver = await startChaosReceiver();
    cleanups.push(() => receiver.stop());
    const dir = chaosDir('poison', config(receiver.url));
    cleanups.push(() => dir.cleanup());
    mkdirSync(path.join(dir.dir, 'steps'));
    writeFileSync(path.join(dir.dir, 'steps', 'require-gtin.ts'), requireGtin);
    const loom: RunningLoom = await startLoom({ configFile: dir.configFile, env: {}, logger: createLogger({ level: 'silent' }) });
    cleanups.push(() => loom.stop());
    const address = loom.inbound().find((i) => i.channel === 'adt-in')?.address ?? '';
    const { host, port } = parseAddress(address);

    const poison: Array<{ name: string; bytes: Buffer }> = [
      { name: 'not HL7 at all', bytes: Buffer.from('HELLO WORLD') },
      { name: 'MSH without encoding characters', bytes: Buffer.from('MSH\rPID|1') },
      { name: 'truncated MSH', bytes: Buffer.from('MSH|^~\\&|EHR') },
      { name: 'UTF-16LE bytes', bytes: Buffer.from(adt('U16'), 'utf16le') },
      { name: 'binary noise', bytes: Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 73 + 11) % 256).filter((b) => b !== 0x0b && b !== 0x1c)) },
      { name: 'over maxPayloadBytes (40 KB)', bytes: Buffer.from(adt('BIG') + `NTE|1||${'X'.repeat(40_000)}\r`) },
    ];
    const answers: Record<string, string> = {};
    let good = 0;
    const sendGood = async (sender: MllpSender) => {
      const code = ackCode(await sender.send(adt(`G${good}Z`)));
      expect(code).toBe('AA');
      good++;
    };
    for (const p of poison) {
      const sender = new MllpSender(host, port);
      await sender.connect();
      await sendGood(sender);
      try {
        answers[p.name] = ackCode(await sender.send(p.bytes, 5_000)) ?? 'no MSA';
      } catch (error) {
        answers[p.name] = `closed (${(error as Error).message})`;
      }
      sender.close();
      const next = new MllpSender(host, port); // the channel keeps flowing on a fresh connection
      await next.connect();
      await sendGood(next);
      next.close();
    }
    // oversize frame beyond maxFrameBytes: AR then the connection is closed (stream position lost)
    const big = new MllpSender(host, port);
    await big.connect();
    try {
      answers['frame over maxFrameBytes (100 KB)'] = ackCode(await big.send(adt('HUGE') + 'Z'.repeat(100_000), 5_000)) ?? 'no MSA';
    } catch (error) {
      answers['frame over maxFrameBytes (100 KB)'] = `closed (${(error as Error).message})`;
    }
    big.close();

    // mapping failures and malformed JSON on the HTTP channel
    const post = (body: string) => fetch(`${loom.url}/api/v1/channels/consumption/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const httpAnswers: Record<string, number> = {};
    httpAnswers['malformed JSON'] = (await post('{"item": {')).status;
    httpAnswers['mapping failure (no gtin)'] = (await post(JSON.stringify({ eventId: 'P1', lot: 'L' }))).status;
    const goodJson = (await post(JSON.stringify({ eventId: 'J1', item: { gtin: '00884838094581' } }))).status;

    await until(() => [...receiver.effects.values()].filter((b) => /G\d+Z/.test(b)).length === good, 20_000, 'every good HL7 message delivered');
    await until(() => [...receiver.effects.values()].some((b) => b.includes('"J1"')), 20_000, 'the good JSON event delivered');
    const list = async (q: string): Promise<Listed> => (await (await fetch(`${loom.url}/api/v1/messages?${q}&limit=100`)).json()) as Listed;
    let rejected: Listed = { items: [] };
    let failed: Listed = { items: [] };
    await until(async () => {
      rejected = await list('channel=adt-in&status=rejected');
      failed = await list('channel=consumption&status=failed');
      return failed.items.length >= 1 + (httpAnswers['malformed JSON'] === 202 ? 1 : 0);
    }, 15_000, 'the mapping failure stored as failed');
    const channels = (await (await fetch(`${loom.url}/api/v1/channels`)).json()) as { items?: Array<{ name: string; status: string }> } | Array<{ name: string; status: string }>;
    const list2 = Array.isArray(channels) ? channels : channels.items ?? [];

    report('poison messages', {
      ...Object.fromEntries(Object.entries(answers).map(([k, v]) => [`mllp: ${k}`, v])),
      ...Object.fromEntries(Object.entries(httpAnswers).map(([k, v]) => [`http: ${k}`, v])),
      'good HL7 sent / delivered': `${good} / ${[...receiver.effects.values()].filter((b) => /G\d+Z/.test(b)).length}`,
      'stored rejected (adt-in)': rejected.items.length,
      'stored failed (consumption)': failed.items.length,
      'first reasons': [...rejected.items, ...failed.items].slice(0, 3).map((m) => (m.error ?? '(none)').slice(0, 70)).join(' | '),
    });
    for (const [name, code] of Object.entries(answers)) expect(code, name).not.toBe('AA');
    // malformed JSON: refused (4xx), or journaled then stored `failed` with the parse error
    const malformedStored = httpAnswers['malformed JSON'] === 202 ? 1 : 0;
    if (!malformedStored) expect(httpAnswers['malformed JSON']).toBeGreaterThanOrEqual(400);
    expect(failed.items.length).toBe(1 + malformedStored);
    expect(goodJson).toBe(202);
    expect(rejected.items.length).toBeGreaterThanOrEqual(3);
    for (const m of [...rejected.items, ...failed.items]) expect(m.error, `message ${m.id} has a reason`).toBeTruthy();
    expect(failed.items.some((m) => m.error?.includes('gtin'))).toBe(true);
    expect(list2.every((c) => c.status === 'running')).toBe(true);
  }, 60_000);
});
