import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMllpFrame } from '../../src/codecs/mllp/index.js';
import { authHeaders } from '../support/auth.js';
import { startTestLoom, type TestLoom } from '../support/loom.js';
import { waitFor } from '../../src/connectors/shared/index.js';

let running: TestLoom | undefined;
afterEach(async () => { await running?.loom.stop(); running = undefined; });

const adt = (control: string, family: string) => `MSH|^~\\&|EHR|MAIN|LIS|LAB|20261205080000||ADT^A01|${control}|P|2.5.1\rEVN|A01|20261205080000\rPID|1||MRN${control}^^^MAIN^MR||${family}^JANE\rPV1|1|I|4W^401^1\r`;

async function sendMllp(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(encodeMllpFrame(message)));
    let answer = '';
    socket.on('data', (c: Buffer) => { answer += c.toString('latin1'); if (answer.includes('\x1c\r')) { socket.end(); resolve(answer); } });
    socket.on('error', reject);
  });
}

describe('shadow run beside a legacy interface', () => {
  it('records what Loom would send, never calls the destination, and reports per message where the legacy output differs', async () => {
    // The destination points at a port nothing listens on: a shadow run must never try it.
    running = await startTestLoom(`  - name: adt-shadow
    inbound: { kind: mllp, port: 0 }
    contentType: hl7v2
    shadow: { matchBy: MSH-10, ignore: [MSH-7] }
    destinations:
      - { name: to-lis, kind: mllp, host: 127.0.0.1, port: 1 }
`);
    const { loom } = running;
    const port = Number(new URL(loom.inbound().find((i) => i.channel === 'adt-shadow')!.address).port);
    expect(port).toBeGreaterThan(0);
    for (const [control, family] of [['C1', 'DOE'], ['C2', 'ROE'], ['C3', 'POE']]) expect(await sendMllp(port, adt(control, family))).toContain('MSA|AA');

    const api = (path: string, init: RequestInit = {}) => fetch(`${loom.url}/api/v1${path}`, { ...init, headers: { ...authHeaders(), ...(init.headers as Record<string, string> | undefined) } });
    // The legacy engine's outputs for the same inputs: C1 identical but for MSH-7, C2 with another family name; C3 never sent by it; C4 only by it.
    const legacy = async (message: string) => (await api('/shadow/adt-shadow/legacy/to-lis', { method: 'POST', body: message, headers: { 'content-type': 'text/plain' } })).json() as Promise<{ status: string }>;
    await waitFor(async () => ((await (await api('/shadow/adt-shadow')).json()) as { items: unknown[] }).items.length === 3, 10_000);
    expect(await legacy(adt('C1', 'DOE').replace('20261205080000||ADT', '20261205080007||ADT'))).toMatchObject({ status: 'match' });
    expect(await legacy(adt('C2', 'ROEBUCK'))).toMatchObject({ status: 'differ' });
    expect(await legacy(adt('C4', 'NEW'))).toMatchObject({ status: 'legacy-only' });

    const summary = (await (await api('/shadow')).json()) as { items: Array<Record<string, number | string>> };
    expect(summary.items).toEqual([{ channel: 'adt-shadow', match: 1, differ: 1, 'loom-only': 1, 'legacy-only': 1 }]);
    const differ = (await (await api('/shadow/adt-shadow?status=differ')).json()) as { items: Array<{ key: string; differences: unknown[] }> };
    expect(differ.items).toEqual([expect.objectContaining({ key: 'C2', differences: [{ path: 'PID-5.1', loom: 'ROE', legacy: 'ROEBUCK' }] })]);

    // The messages themselves are processed: delivered to the recorder, not dead-lettered.
    const unknown = await api('/shadow/not-shadowed');
    expect(unknown.status).toBe(404);
  });
});
